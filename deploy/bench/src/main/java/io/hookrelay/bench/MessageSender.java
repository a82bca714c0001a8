package io.hookrelay.bench;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sends message {@code index} of a scenario and records its answer in {@link SentMessages}. */
final class MessageSender {

    private static final Pattern MESSAGE_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final LoadClient client;
    private final String path;
    private final byte[] body;
    private final String idempotencyPrefix;

    /** @param idempotencyPrefix unique per scenario run, or null to send no idempotency-key */
    MessageSender(LoadClient client, String path, byte[] body, String idempotencyPrefix) {
        this.client = client;
        this.path = path;
        this.body = body;
        this.idempotencyPrefix = idempotencyPrefix;
    }

    void send(SentMessages sent, int index, long scheduledNanos) {
        send(sent, index, scheduledNanos, () -> {});
    }

    void send(SentMessages sent, int index, long scheduledNanos, Runnable then) {
        sent.sending(index, scheduledNanos, System.nanoTime());
        String key = idempotencyPrefix == null ? null : idempotencyPrefix + index;
        client.post(path, body, key).subscribe(answer -> {
            if (answer.error() != null) {
                sent.failed(index, answer.error(), answer.nanos());
            } else {
                sent.answered(index, answer.status(), messageId(answer.body()), answer.nanos(), answer.retryAfter());
            }
            then.run();
        });
    }

    static String messageId(String responseBody) {
        Matcher matcher = MESSAGE_ID.matcher(responseBody);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** A message body of exactly {@code bytes} bytes (at least the JSON skeleton's length). */
    static byte[] body(String eventType, int bytes) {
        String skeleton = "{\"eventType\":\"" + eventType + "\",\"payload\":{\"data\":\"\"}}";
        int padding = Math.max(0, bytes - skeleton.length());
        String json = "{\"eventType\":\"" + eventType + "\",\"payload\":{\"data\":\"" + "x".repeat(padding) + "\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
