package io.hookrelay.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/** The gateway's own database (tokens) failing: a 503 to retry, never a 500. */
class GatewayErrorHandlerTest {

    private final GatewayErrorHandler handler = new GatewayErrorHandler();

    @Test
    void aTokenWriteTheDatabaseRefusesIsA503() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/auth/app-portal-access/app_1"));

        handler.handle(exchange, new IllegalStateException("executeMany",
                new R2dbcNonTransientResourceException("cannot execute INSERT in a read-only transaction", "25006"))).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("cannot verify or store tokens")
                .doesNotContain("read-only");
    }

    @Test
    void aTokenWriteWhoseConnectionWasLostMayHaveBeenMade() {
        var post = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/auth/token"));
        var get = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/auth/token"));
        var lost = new R2dbcNonTransientResourceException("Connection closed");

        handler.handle(post, lost).block();
        handler.handle(get, lost).block();

        assertThat(post.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(post.getResponse().getBodyAsString().block()).contains("Check before repeating it")
                .doesNotContain("idempotency-key");
        assertThat(get.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(get.getResponse().getBodyAsString().block()).contains("cannot verify or store tokens");
    }

    @Test
    void aBugInOurOwnQueryStaysA500() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/auth/token"));

        handler.handle(exchange, new R2dbcBadGrammarException("column does not exist", "42703")).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }
}
