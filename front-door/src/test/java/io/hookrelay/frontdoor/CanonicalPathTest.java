package io.hookrelay.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalPathTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "/api/v1/app",
        "/api/v1/app/app_2xKsB8mQ3nV0pR7tY1wZ9cD4eF6",
        "/api/v1/app/acme.corp-eu_1/endpoint/ep_2xKsB8mQ3nV0pR7tY1wZ9cD4eF6/secret",
        "/api/v1/app/acme/endpoint/acme-main/secret/rotate",
        "/api/v1/app/acme/msg/evt-0001/endpoint/ep_1/resend",
        "/api/v1/event-type/invoice.paid",
        "/api/v1/event-type/a...b",
        "/api/v1/event-type/.hidden",
        "/api/v1/auth/app-portal-access/app_1",
        "/api/v1/health",
        "/api/v1/health/",
        "/api/v1/health/ping",
        "/api/v1/openapi.json",
        "/actuator/health/liveness",
        "/v3/api-docs",
        "/",
        "/API/V1/APP"
    })
    void acceptsWhatOurIdsUidsNamesAndPathWordsAreMadeOf(String path) {
        assertThat(CanonicalPath.problem(path)).isEmpty();
        assertThat(CanonicalPath.isCanonical(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/%61pi/v1/auth/token",
        "/api/v1/%61pp",
        "/api/v1/app/%2561cme",
        "/api/v1/app/acme%2Fendpoint",
        "/api/v1/app/acme%2fendpoint",
        "/api/v1/app/%2e%2e/x",
        "/api/v1/app/%",
        "/api/v1/app/%zz",
        "/api;x/v1/app/acme/endpoint/acme-main/secret",
        "/api/v1;x/app",
        "/api/v1/app/acme;jsessionid=1",
        "/api/v1/app/;",
        "/api/v1/./app",
        "/api/v1/x/../app",
        "/api/v1/app/..",
        "/api/v1/app/.",
        "/./api/v1/app",
        "/api//v1/app",
        "//api/v1/app",
        "/api/v1/app//",
        "/api/v1/health//",
        "/api\\v1\\app",
        "/api/v1/app/acme\\..\\x",
        "/api/v1/app/a\u0000b",
        "/api/v1/app/\t",
        "/api/v1/app/a\u007fb",
        "/api/v1/app/\u00ff\u00fe",
        "/api/v1/app/caf\u00e9",
        "/api/v1/app/a b",
        "/api/v1/app/{app}",
        "/api/v1/app/a:b",
        "/api/v1/app/~x",
        "/api/v1/app/a+b",
        "api/v1/app",
        "*",
        ""
    })
    void refusesEverySpellingThatALayerCouldReadDifferently(String path) {
        assertThat(CanonicalPath.problem(path)).hasValueSatisfying(why -> assertThat(why).startsWith("Not a canonical API path: "));
    }

    @Test
    void refusesNull() {
        assertThat(CanonicalPath.isCanonical(null)).isFalse();
    }

    @Test
    void saysWhatIsWrong() {
        assertThat(CanonicalPath.problem("/%61pi").orElseThrow()).contains("percent-escapes");
        assertThat(CanonicalPath.problem("/api;x").orElseThrow()).contains("matrix parameters");
        assertThat(CanonicalPath.problem("/a/../b").orElseThrow()).contains("'..'");
        assertThat(CanonicalPath.problem("/a//b").orElseThrow()).contains("empty path segments");
        assertThat(CanonicalPath.problem("/a\\b").orElseThrow()).contains("backslashes");
        assertThat(CanonicalPath.problem("/a\u0001").orElseThrow()).contains("control characters");
        assertThat(CanonicalPath.problem("/\u00e9").orElseThrow()).contains("non-ASCII");
    }

    @Test
    void isGivenThePathOnlySoQueryStringsAreNeverJudged() {
        // callers pass URI.getRawPath(): whatever the query holds, the path alone decides
        for (String target : List.of("/api/v1/app?limit=%00&iterator=%2F..%2F;x", "/api/v1/app/acme/msg?before=2024-01-01T00:00:00%2B01:00")) {
            String path = java.net.URI.create(target).getRawPath();

            assertThat(CanonicalPath.problem(path)).isEmpty();
        }
    }
}
