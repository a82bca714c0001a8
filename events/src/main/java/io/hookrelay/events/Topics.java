package io.hookrelay.events;

/** Kafka topics shared by the services. Records are JSON; keys are message ids. */
public final class Topics {

    /** One {@link MessageAccepted} per accepted message, keyed by message id. */
    public static final String MESSAGES = "hookrelay.messages.v1";

    private Topics() {}
}
