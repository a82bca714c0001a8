package io.hookrelay.bench;

import java.time.Duration;
import java.util.List;

/** One thing the chaos campaign does to the platform; {@link FaultInjector} knows how. */
sealed interface Fault {

    /** Short name for the report, e.g. {@code kill delivery-service #2}. */
    String name();

    /** How long the fault lasts once injected (zero for a kill: the supervisor takes over). */
    Duration duration();

    /** SIGKILL of every process of one role; bin/run-local's supervisor restarts it. */
    record Kill(String role, int round) implements Fault {
        @Override
        public String name() {
            return "SIGKILL " + role + " #" + round;
        }

        @Override
        public Duration duration() {
            return Duration.ZERO;
        }
    }

    /** SIGSTOP of every process of the roles, SIGCONT after {@code duration}: a stalled dependency. */
    record Freeze(List<String> roles, Duration duration) implements Fault {
        @Override
        public String name() {
            return "freeze " + String.join(" + ", roles) + " " + duration.toSeconds() + " s";
        }
    }

    /**
     * PostgreSQL and/or Kafka stopped and started again after {@code duration}, by the campaign
     * (bin/run-local does not supervise them): PostgreSQL with an immediate shutdown, as if it
     * crashed; the broker with SIGTERM, then relaunched with the command line it ran with.
     */
    record Stop(List<String> roles, Duration duration) implements Fault {
        @Override
        public String name() {
            return "stop " + String.join(" + ", roles) + " " + duration.toSeconds() + " s";
        }
    }

    /** The hostile endpoint misbehaves in one way for {@code duration}, then answers 204 again. */
    record Misbehave(HostileReceiver.Mode mode, Duration duration) implements Fault {
        /** How every such fault's name begins: the report tells receiver faults by it. */
        static final String PREFIX = "receiver ";

        @Override
        public String name() {
            return PREFIX + mode.description() + " " + duration.toSeconds() + " s";
        }
    }
}
