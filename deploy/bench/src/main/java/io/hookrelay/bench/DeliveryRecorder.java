package io.hookrelay.bench;

import io.hookrelay.signer.VerifiedWebhook;
import io.hookrelay.signer.WebhookHeaders;
import io.hookrelay.signer.WebhookSecret;
import io.hookrelay.signer.WebhookVerifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One scenario's deliveries as its receiver saw them: the first arrival of each (message, endpoint),
 * duplicates, and the signatures of a sample (every Nth delivery and each endpoint's first one)
 * checked with signer-lib against the endpoint's secret.
 */
final class DeliveryRecorder {

    /** First arrival time of one message at one endpoint. */
    record Arrival(String messageId, int endpoint, long nanos) {}

    private final List<WebhookVerifier> verifiers;
    private final int verifyEvery;
    private final Map<String, Long> firstArrivals = new ConcurrentHashMap<>();
    private final AtomicBoolean[] endpointSeen;
    private final AtomicLong arrivals = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong badSignatures = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLongArray perEndpoint;

    DeliveryRecorder(List<String> endpointSecrets, int verifyEvery) {
        this.verifiers = endpointSecrets.stream().map(secret -> WebhookVerifier.of(WebhookSecret.parse(secret))).toList();
        this.verifyEvery = verifyEvery;
        this.endpointSeen = new AtomicBoolean[endpointSecrets.size()];
        for (int i = 0; i < endpointSeen.length; i++) {
            endpointSeen[i] = new AtomicBoolean();
        }
        this.perEndpoint = new AtomicLongArray(endpointSecrets.size());
    }

    int endpoints() {
        return verifiers.size();
    }

    /** Called on the receiver's event loop for every request to one of this scenario's endpoints. */
    void arrived(int endpoint, WebhookHeaders headers, byte[] body, long nanos) {
        long count = arrivals.incrementAndGet();
        if (endpoint < 0 || endpoint >= verifiers.size() || headers.id() == null) {
            malformed.incrementAndGet();
            return;
        }
        if (firstArrivals.putIfAbsent(headers.id() + '#' + endpoint, nanos) != null) {
            duplicates.incrementAndGet();
        } else {
            perEndpoint.incrementAndGet(endpoint);
        }
        if (endpointSeen[endpoint].compareAndSet(false, true) || count % verifyEvery == 0) {
            verify(endpoint, headers, body);
        }
    }

    private void verify(int endpoint, WebhookHeaders headers, byte[] body) {
        if (verifiers.get(endpoint).check(headers, body) instanceof VerifiedWebhook) {
            verified.incrementAndGet();
        } else {
            badSignatures.incrementAndGet();
        }
    }

    /** Distinct (message, endpoint) pairs seen so far: cheap enough to poll while draining. */
    long distinctDeliveries() {
        return firstArrivals.size();
    }

    List<Arrival> firstArrivals() {
        return firstArrivals.entrySet().stream()
                .map(entry -> {
                    String key = entry.getKey();
                    int hash = key.lastIndexOf('#');
                    return new Arrival(key.substring(0, hash), Integer.parseInt(key.substring(hash + 1)), entry.getValue());
                })
                .toList();
    }

    boolean hasArrived(String messageId, int endpoint) {
        return firstArrivals.containsKey(messageId + '#' + endpoint);
    }

    long arrivals() {
        return arrivals.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    long verified() {
        return verified.get();
    }

    long badSignatures() {
        return badSignatures.get();
    }

    long malformed() {
        return malformed.get();
    }
}
