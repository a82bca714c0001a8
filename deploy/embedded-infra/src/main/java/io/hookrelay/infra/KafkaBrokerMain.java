package io.hookrelay.infra;

/** Main class of the broker child process: the Kafka server, stopped if its parent dies. */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {}

    public static void main(String[] args) throws Exception {
        ParentWatchdog.watchParent();
        kafka.Kafka.main(args);
    }
}
