package io.hookrelay.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class RoutesTest {

    @Test
    void aMessageCreationIsAPostToOneApplicationsMessagesAndNothingElse() {
        assertThat(Routes.isMessageCreation(post("/api/v1/app/acme/msg"))).isTrue();
        assertThat(Routes.isMessageCreation(post("/api/v1/app/app_2abc/msg"))).isTrue();
        assertThat(Routes.isMessageCreation(post("/api/v1/app//msg"))).isFalse();
        assertThat(Routes.isMessageCreation(post("/api/v1/app/acme/msg/msg_1/attempt"))).isFalse();
        assertThat(Routes.isMessageCreation(post("/api/v1/app/acme/endpoint/ep/msg"))).isFalse();
        assertThat(Routes.isMessageCreation(
                MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/app/acme/msg")))).isFalse();
    }

    private static MockServerWebExchange post(String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.post(path));
    }
}
