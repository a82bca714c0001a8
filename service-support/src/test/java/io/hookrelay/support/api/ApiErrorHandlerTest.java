package io.hookrelay.support.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcBadGrammarException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import tools.jackson.databind.json.JsonMapper;

class ApiErrorHandlerTest {

    private final ApiErrorHandler handler = new ApiErrorHandler(JsonMapper.builder().build());

    @Test
    void aNulCharacterPostgresqlRefusesIsTheClientsBadRequest() {
        for (String sqlState : new String[] {"22021", "22P05"}) {
            var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/app?iterator=%00"));
            var refused = new IllegalStateException("executeMany; bad SQL grammar",
                    new R2dbcBadGrammarException("invalid byte sequence for encoding \"UTF8\": 0x00", sqlState));

            handler.handle(exchange, refused).block();

            assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(exchange.getResponse().getBodyAsString().block())
                    .contains("\"code\":\"invalid_text\"")
                    .contains("NUL character");
        }
    }

    @Test
    void otherDatabaseErrorsStayOurFault() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/app"));

        handler.handle(exchange, new R2dbcBadGrammarException("relation does not exist", "42P01")).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }

    @Test
    void anUnavailableAnswerIsA503WithRetryAfterInWholeSeconds() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/app/a/msg"));

        handler.handle(exchange, ApiException.unavailable("service_unavailable", "busy", java.time.Duration.ofMillis(1500))).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("2");
        assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"code\":\"service_unavailable\"");
    }
}
