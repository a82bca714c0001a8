package io.hookrelay.delivery.dispatch;

import io.hookrelay.delivery.retry.PendingDeliveries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes the row of an attempt that waited for room and never started due now, for the retry
 * poller (of this process or another), if the row still carries the attempt's claim (a resend may
 * have claimed it again meanwhile: that claim stands). If that write fails, the row comes due when
 * its lease runs out, and is listed with an attempt whose outcome is unknown, though nothing was
 * sent.
 */
@Component
class HandBackToPoller implements InFlightDeliveries.HandBack {

    private static final Logger log = LoggerFactory.getLogger(HandBackToPoller.class);

    private final PendingDeliveries pending;

    HandBackToPoller(PendingDeliveries pending) {
        this.pending = pending;
    }

    @Override
    public void handBack(DeliveryTask task) {
        String messageId = task.message().messageId();
        String endpointId = task.endpoint().id();
        pending.releaseNow(messageId, endpointId, task.leaseEnd())
                .subscribe(null, error -> log.warn("Could not hand {} to {} back to the retry poller; it comes due"
                        + " after its lease: {}", messageId, endpointId, error.toString()));
    }
}
