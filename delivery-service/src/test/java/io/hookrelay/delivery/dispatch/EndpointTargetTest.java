package io.hookrelay.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointTargetTest {

    @Test
    void anEndpointWithoutFiltersReceivesEverything() {
        var endpoint = endpoint(null, null);

        assertThat(endpoint.subscribesTo("invoice.paid", List.of())).isTrue();
        assertThat(endpoint.subscribesTo("user.created", List.of("eu"))).isTrue();
    }

    @Test
    void eventTypeFilterSelectsMessages() {
        var endpoint = endpoint(List.of("invoice.paid", "invoice.failed"), null);

        assertThat(endpoint.subscribesTo("invoice.paid", List.of())).isTrue();
        assertThat(endpoint.subscribesTo("user.created", List.of())).isFalse();
    }

    @Test
    void channelFilterNeedsOneCommonChannel() {
        var endpoint = endpoint(null, List.of("eu", "us"));

        assertThat(endpoint.subscribesTo("a", List.of("us", "apac"))).isTrue();
        assertThat(endpoint.subscribesTo("a", List.of("apac"))).isFalse();
        assertThat(endpoint.subscribesTo("a", List.of())).isFalse();
    }

    @Test
    void bothFiltersMustMatch() {
        var endpoint = endpoint(List.of("invoice.paid"), List.of("eu"));

        assertThat(endpoint.subscribesTo("invoice.paid", List.of("eu"))).isTrue();
        assertThat(endpoint.subscribesTo("invoice.paid", List.of("us"))).isFalse();
        assertThat(endpoint.subscribesTo("user.created", List.of("eu"))).isFalse();
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(endpoint(null, null).toString()).doesNotContain("whsec_").contains("redacted");
    }

    private static EndpointTarget endpoint(List<String> eventTypes, List<String> channels) {
        return new EndpointTarget("ep_1", "app_1", "https://example.com", eventTypes, channels,
                List.of("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"), null, null);
    }
}
