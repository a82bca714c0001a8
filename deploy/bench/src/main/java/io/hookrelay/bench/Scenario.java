package io.hookrelay.bench;

import java.time.Duration;

/** One platform scenario: its own application with {@code endpoints} endpoints, and a load shape. */
record Scenario(String name, String description, int endpoints, Load load) {

    /** How messages are sent. */
    sealed interface Load {}

    /** Open model: {@code rate} messages/s on a fixed schedule for {@code duration}. */
    record Open(int rate, Duration duration) implements Load {}

    /**
     * Closed model: {@code messages} in all, {@code concurrency} in flight, as fast as they are
     * accepted, but no longer than {@code timeLimit} (a stalled platform must not hold the machine).
     */
    record Closed(int messages, int concurrency, Duration timeLimit) implements Load {}

    static Scenario steady(BenchOptions options) {
        return new Scenario("steady", options.steadyRate() + " msg/s for " + options.steadyDuration().toSeconds()
                + " s to one endpoint (open model)", 1, new Open(options.steadyRate(), options.steadyDuration()));
    }

    static Scenario warmup(BenchOptions options) {
        return new Scenario("warmup", "warm-up, not reported", 1, new Open(options.warmupRate(), options.warmupDuration()));
    }

    static Scenario fanout(BenchOptions options) {
        return new Scenario("fanout", options.fanoutRate() + " msg/s for " + options.fanoutDuration().toSeconds()
                + " s to " + options.fanoutEndpoints() + " endpoints (" + (options.fanoutRate() * options.fanoutEndpoints())
                + " deliveries/s, open model)", options.fanoutEndpoints(),
                new Open(options.fanoutRate(), options.fanoutDuration()));
    }

    static Scenario burst(BenchOptions options) {
        return new Scenario("burst", options.burstMessages() + " messages as fast as accepted, "
                + options.burstConcurrency() + " in flight, one endpoint", 1,
                new Closed(options.burstMessages(), options.burstConcurrency(), options.burstTimeLimit()));
    }
}
