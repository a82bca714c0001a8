package io.hookrelay.delivery.ssrf;

/** A webhook destination that must not be contacted; the message says why. */
public class DestinationRefusedException extends RuntimeException {

    public DestinationRefusedException(String reason) {
        super(reason, null, false, false);
    }
}
