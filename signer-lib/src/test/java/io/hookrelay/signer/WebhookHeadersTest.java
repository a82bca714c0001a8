package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookHeadersTest {

    @Test
    void prefersTheWebhookNamesOverTheSvixNames() {
        Map<String, String> received = Map.of(
                "webhook-id", "msg_standard", "svix-id", "msg_svix",
                "svix-timestamp", "1700000000", "webhook-signature", "v1,x");

        WebhookHeaders headers = WebhookHeaders.from(received::get);

        assertThat(headers).isEqualTo(new WebhookHeaders("msg_standard", "1700000000", "v1,x"));
    }

    @Test
    void leavesAbsentHeadersNullForTheVerifierToReject() {
        WebhookHeaders headers = WebhookHeaders.from(Map.<String, List<String>>of("webhook-id", List.of()));

        assertThat(headers).isEqualTo(new WebhookHeaders(null, null, null));
    }

    @Test
    void takesTheFirstIdAndJoinsAllSignatureValuesSkippingNulls() {
        Map<String, List<String>> received = new HashMap<>();
        received.put("Webhook-Id", List.of("msg_1", "msg_2"));
        received.put("Webhook-Signature", Arrays.asList("v1,a", null, "v1,b"));

        WebhookHeaders headers = WebhookHeaders.from(received);

        assertThat(headers.id()).isEqualTo("msg_1");
        assertThat(headers.signature()).isEqualTo("v1,a v1,b");
    }

    @Test
    void listsTheHeadersToSendInOrder() {
        WebhookHeaders headers = new WebhookHeaders("msg_1", "1700000000", "v1,x");

        assertThat(headers.asMap()).containsExactly(
                Map.entry(WebhookHeaders.ID, "msg_1"),
                Map.entry(WebhookHeaders.TIMESTAMP, "1700000000"),
                Map.entry(WebhookHeaders.SIGNATURE, "v1,x"));
    }
}
