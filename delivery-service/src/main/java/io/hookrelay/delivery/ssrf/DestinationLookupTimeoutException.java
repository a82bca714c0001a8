package io.hookrelay.delivery.ssrf;

/**
 * The destination's name could not be looked up in time. Not a refusal: name servers have bad
 * moments, so the attempt counts as a network failure and is retried on the schedule.
 */
public class DestinationLookupTimeoutException extends RuntimeException {

    public DestinationLookupTimeoutException(String reason) {
        super(reason, null, false, false);
    }
}
