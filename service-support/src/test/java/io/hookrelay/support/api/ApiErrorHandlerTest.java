package io.hookrelay.support.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.frontdoor.OutcomeUnknown;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
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
    void aCallerThatHungUpGetsNoAnswerAndIsNotOurError() {
        for (Throwable gone : new Throwable[] {new AbortedException("Connection has been closed"),
                new IOException("Connection reset by peer")}) {
            var exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/app/app_1/msg"));

            Throwable failed = handler.handle(exchange, gone).then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block();

            assertThat(failed).as("handled: WebFlux would log it as a 500 Server Error").isNull();
            assertThat(exchange.getResponse().isCommitted()).as("no answer for nobody: %s", gone).isFalse();
            assertThat(exchange.getResponse().getStatusCode()).as("counted as refused, not as a 200")
                    .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }
    }

    @Test
    void anUnknownPathIsA404ThatNamesNeitherTheServicesAddressNorItsResourceHandling() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.post("http://127.0.0.1:44267/api/v1/app/a/msg/"));
        var unknown = new NoResourceFoundException(
                exchange.getRequest().getURI(), "api/v1/app/a/msg");

        handler.handle(exchange, unknown).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("\"code\":\"not_found\"")
                .doesNotContain("127.0.0.1").doesNotContain("44267").doesNotContain("static resource");
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

    @Test
    void aMessageCreationTheDatabaseRefusedIsA503ThatEchoesNothingOfPostgresql() {
        // "not accepted" is said where the message is stored (ingest's MessageService), not here: an
        // error reaching this handler cannot tell whether the message exists
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/app/app_1/msg"));
        var diskFull = new IllegalStateException("executeMany",
                new R2dbcNonTransientResourceException("could not extend file: No space left on device", "53100"));

        handler.handle(exchange, diskFull).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("\"code\":\"service_unavailable\"")
                .contains("cannot serve this request right now")
                .doesNotContain("not accepted")
                .doesNotContain("No space left");
    }

    @Test
    void anyRequestARefusingDatabaseCannotServeIsA503() {
        for (var request : new MockServerHttpRequest[] {
                MockServerHttpRequest.post("/api/v1/app").build(),
                MockServerHttpRequest.put("/api/v1/app/app_1/endpoint/ep_1").build(),
                MockServerHttpRequest.get("/api/v1/app/app_1/msg").build()}) {
            var exchange = MockServerWebExchange.from(request);

            handler.handle(exchange, new R2dbcNonTransientResourceException("cannot execute INSERT in a read-only transaction", "25006"))
                    .block();

            assertThat(exchange.getResponse().getStatusCode()).as(request.getPath().value()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("5");
            assertThat(exchange.getResponse().getBodyAsString().block())
                    .contains("cannot serve this request right now")
                    .doesNotContain("read-only");
        }
    }

    @Test
    void aChangeWhoseConnectionWasLostMayHaveBeenMade() {
        var post = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/app/app_1/msg"));
        var get = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/app/app_1/msg"));
        var lost = new R2dbcNonTransientResourceException("Connection closed");

        handler.handle(post, lost).block();
        handler.handle(get, lost).block();

        assertThat(post.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(post.getResponse().getBodyAsString().block()).contains(OutcomeUnknown.DETAIL);
        assertThat(get.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(get.getResponse().getBodyAsString().block()).doesNotContain("may have been accepted");
    }

    /** Only a message creation keeps its idempotency-key with what it stored: others must not be told a retry is safe. */
    @Test
    void anotherChangeWhoseConnectionWasLostIsToldToCheckNotThatARetryIsSafe() {
        for (var request : new MockServerHttpRequest[] {
                MockServerHttpRequest.post("/api/v1/app").build(),
                MockServerHttpRequest.post("/api/v1/app/app_1/endpoint/ep_1/send-example").build(),
                MockServerHttpRequest.put("/api/v1/app/app_1/endpoint/ep_1").build()}) {
            var exchange = MockServerWebExchange.from(request);

            handler.handle(exchange, new R2dbcNonTransientResourceException("Connection closed")).block();

            assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(exchange.getResponse().getBodyAsString().block()).as(request.getPath().value())
                    .contains("Check before repeating it")
                    .doesNotContain("idempotency-key");
        }
    }

    @Test
    void aConstraintTheDatabaseEnforcesIsNoOutage() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/app"));

        handler.handle(exchange, new R2dbcDataIntegrityViolationException("duplicate key", "23505")).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }
}
