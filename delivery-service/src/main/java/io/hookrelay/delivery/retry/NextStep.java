package io.hookrelay.delivery.retry;

import java.time.Instant;

/** What follows an attempt for one message and endpoint. */
public sealed interface NextStep {

    /** Delivered: nothing left to do. */
    record Done() implements NextStep {}

    /** Try again at {@code at}. */
    record RetryAt(Instant at) implements NextStep {}

    /** Failed for good: publish a dead-letter record. */
    record GiveUp(String why) implements NextStep {}
}
