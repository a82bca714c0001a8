package io.hookrelay.events;

/** Kafka topics shared by the services. Records are JSON; keys are message ids. */
public final class Topics {

    /** One {@link MessageAccepted} per accepted message, keyed by message id. */
    public static final String MESSAGES = "hookrelay.messages.v1";

    /**
     * Records of {@link #MESSAGES} that delivery-service can never process (not JSON, the wrong
     * shape, a required field missing), set aside with headers saying why; same key and value.
     */
    public static final String MESSAGES_DEAD_LETTERS = "hookrelay.messages.dlt";

    /** One {@link DeliveryFailed} per message and endpoint whose delivery has failed for good. */
    public static final String DEAD_LETTERS = "hookrelay.dead-letters.v1";

    /** Operational events about endpoints, such as {@link EndpointDisabled}, keyed by endpoint id. */
    public static final String OPERATIONAL = "hookrelay.operational.v1";

    private Topics() {}
}
