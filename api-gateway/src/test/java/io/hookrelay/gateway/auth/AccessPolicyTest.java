package io.hookrelay.gateway.auth;

import static io.hookrelay.gateway.auth.AccessPolicy.Decision.ALLOW;
import static io.hookrelay.gateway.auth.AccessPolicy.Decision.NOT_FOUND;
import static io.hookrelay.gateway.auth.AccessPolicy.Decision.READ_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpMethod;

class AccessPolicyTest {

    private static final Identity ORG = Identity.organisation("tok_org");
    private static final Identity APP = new Identity("tok_app", "app_A", "customer-a", false);
    private static final Identity READER = new Identity("tok_ro", "app_A", null, true);

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "GET, /api/v1/app/app_A, ALLOW",
        "HEAD, /api/v1/app/app_A, ALLOW",
        "GET, /api/v1/app/customer-a, ALLOW",
        "GET, /api/v1/app/app_A/, ALLOW",
        "PUT, /api/v1/app/app_A, READ_ONLY",
        "PATCH, /api/v1/app/app_A, READ_ONLY",
        "DELETE, /api/v1/app/app_A, READ_ONLY",
        "DELETE, /api/v1/app/app_A/, READ_ONLY",
        "PUT, /api/v1/app/customer-a/, READ_ONLY",
        "GET, /api/v1/app/app_A/%2e%2e/app_B/msg, NOT_FOUND",
        "GET, /api/v1/app/app_A/msg/%6dsg_1, NOT_FOUND",
        "GET, /api/v1/app/app_A/msg, ALLOW",
        "POST, /api/v1/app/app_A/msg, ALLOW",
        "POST, /api/v1/app/customer-a/endpoint, ALLOW",
        "DELETE, /api/v1/app/app_A/endpoint/ep_1, ALLOW",
        "POST, /api/v1/app/app_A/msg/msg_1/endpoint/ep_1/resend, ALLOW",
        "GET, /api/v1/app/app_A/attempt/endpoint/ep_1, ALLOW",
        "GET, /api/v1/event-type, ALLOW",
        "GET, /api/v1/event-type/user.signup, ALLOW",
        "POST, /api/v1/event-type, NOT_FOUND",
        "PATCH, /api/v1/event-type/user.signup, NOT_FOUND",
        "GET, /api/v1/event-type/a/b, NOT_FOUND",
        "POST, /api/v1/auth/logout, ALLOW",
        "GET, /api/v1/auth/logout, NOT_FOUND",
        "POST, /api/v1/auth/app-portal-access/app_A, NOT_FOUND",
        "GET, /api/v1/auth/token, NOT_FOUND",
        "GET, /api/v1/app, NOT_FOUND",
        "POST, /api/v1/app, NOT_FOUND",
        "GET, /api/v1/app/, NOT_FOUND",
        "GET, /api/v1/app/app_B, NOT_FOUND",
        "GET, /api/v1/app/app_B/msg, NOT_FOUND",
        "GET, /api/v1/app/APP_A/msg, NOT_FOUND",
        "GET, /api/v1/app/app_A/../app_B/msg, NOT_FOUND",
        "GET, /api/v1/app/app_A/./msg, NOT_FOUND",
        "GET, /api/v1/app/app_A%2F..%2Fapp_B/msg, NOT_FOUND",
        "GET, /api/v1/app/app_A;v=1/msg, NOT_FOUND",
        "GET, /api/v1/app/app_A//msg, NOT_FOUND",
        "GET, /api/v1/app/%61pp_A/msg, NOT_FOUND",
        "GET, /api/v2/app/app_A/msg, NOT_FOUND",
        "GET, /api/v1/stats/usage, NOT_FOUND",
        "GET, /api/v1/environment/export, NOT_FOUND",
    })
    void anApplicationTokenReachesItsOwnApplicationOnly(String method, String path, AccessPolicy.Decision expected) {
        assertThat(AccessPolicy.decide(APP, HttpMethod.valueOf(method), path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "GET, /api/v1/app/app_A/msg, ALLOW",
        "GET, /api/v1/app/app_A/attempt/msg/msg_1, ALLOW",
        "POST, /api/v1/app/app_A/msg, READ_ONLY",
        "DELETE, /api/v1/app/app_A/endpoint/ep_1, READ_ONLY",
        "GET, /api/v1/app/app_B/msg, NOT_FOUND",
        "POST, /api/v1/app/app_B/msg, NOT_FOUND",
        "POST, /api/v1/auth/logout, ALLOW",
    })
    void aReadOnlyTokenOnlyReadsAndStillCannotProbe(String method, String path, AccessPolicy.Decision expected) {
        assertThat(AccessPolicy.decide(READER, HttpMethod.valueOf(method), path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"GET, /api/v1/app", "POST, /api/v1/event-type", "DELETE, /api/v1/app/app_B", "GET, /api/v1/auth/token"})
    void anOrganisationTokenReachesEverything(String method, String path) {
        assertThat(AccessPolicy.decide(ORG, HttpMethod.valueOf(method), path)).isEqualTo(ALLOW);
    }

    @org.junit.jupiter.api.Test
    void uidsAreOptional() {
        var noUid = new Identity("tok", "app_A", null, false);
        assertThat(AccessPolicy.decide(noUid, HttpMethod.GET, "/api/v1/app/null/msg")).isEqualTo(NOT_FOUND);
        assertThat(AccessPolicy.decide(noUid, HttpMethod.GET, "/api/v1/app/app_A/msg")).isEqualTo(ALLOW);
        assertThat(READ_ONLY).isNotEqualTo(ALLOW);
    }
}
