package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client address may fail to authenticate {@link #ALLOWANCE} times; after that its tokens are
 * answered 429 without a token database lookup, while other addresses, valid tokens already
 * verified and the admin token go on working. The token database's lookups are counted by
 * {@code hookrelay.gateway.tokens.lookups}.
 */
class FailedAuthenticationIT extends FrontDoorCostTest {

    private static final String LOOKUPS = "hookrelay.gateway.tokens.lookups";
    private static final String REFUSED = "hookrelay.gateway.auth.failures.refused";

    @Test
    void aFloodOfRandomTokensFromOneAddressIsCutOffBeforeTheTokenDatabase() {
        var attacker = from("127.0.0.10");
        double lookupsBefore = counter(LOOKUPS);
        double refusedBefore = counter(REFUSED);

        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(send(attacker, request("/api/v1/app", randomToken()).build()));
        }

        assertThat(answers.subList(0, ALLOWANCE)).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(401));
        assertThat(answers.subList(ALLOWANCE, answers.size())).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(429);
            assertThat(Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow())).isPositive();
            assertThat(JsonMapper.shared().readTree(answer.body()).path("code").asString()).isEqualTo("rate_limited");
        });
        assertThat(counter(LOOKUPS) - lookupsBefore).as("token database lookups").isEqualTo(ALLOWANCE);
        assertThat(counter(REFUSED) - refusedBefore).isEqualTo(40 - ALLOWANCE);
        assertThat(ingest.requests.get() + delivery.requests.get()).isZero();
    }

    @Test
    void concurrentRandomTokensNeverLookUpMoreThanTheAllowance() throws Exception {
        var attacker = from("127.0.0.11");
        double lookupsBefore = counter(LOOKUPS);

        List<Integer> statuses;
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var answers = new ArrayList<CompletableFuture<Integer>>();
            for (int i = 0; i < 60; i++) {
                answers.add(CompletableFuture.supplyAsync(
                        () -> send(attacker, request("/api/v1/app", randomToken()).build()).statusCode(), threads));
            }
            statuses = answers.stream().map(CompletableFuture::join).toList();
        }

        assertThat(statuses).containsOnly(401, 429);
        assertThat(statuses.stream().filter(status -> status == 401)).hasSize(ALLOWANCE);
        assertThat(counter(LOOKUPS) - lookupsBefore).isEqualTo(ALLOWANCE);
    }

    @Test
    void anotherAddressTheAdminTokenAndTokensAlreadyVerifiedAreUnaffected() {
        var victim = from("127.0.0.12");
        String used = orgToken();
        String unused = orgToken();
        assertThat(send(victim, request("/api/v1/app", used).build()).statusCode()).isEqualTo(200);
        exhaust(victim);

        assertThat(send(victim, request("/api/v1/app", randomToken()).build()).statusCode()).isEqualTo(429);
        assertThat(send(victim, request("/api/v1/app", ADMIN_TOKEN).build()).statusCode()).isEqualTo(200);
        assertThat(send(victim, request("/api/v1/app", used).build()).statusCode())
                .as("a token this replica verified moments ago needs no lookup").isEqualTo(200);
        assertThat(send(victim, request("/api/v1/app", unused).build()).statusCode())
                .as("a token never seen would need a lookup: the spent address waits like any other").isEqualTo(429);

        var neighbour = from("127.0.0.13");
        assertThat(send(neighbour, request("/api/v1/app", randomToken()).build()).statusCode()).isEqualTo(401);
        assertThat(send(neighbour, request("/api/v1/app", unused).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void successfulAuthenticationsCostNothing() {
        var client = from("127.0.0.14");
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < 3 * ALLOWANCE; i++) {
            valid.add(orgToken()); // each one new to this replica's cache: each one a real lookup
        }

        for (String token : valid) {
            assertThat(send(client, request("/api/v1/app", token).build()).statusCode()).isEqualTo(200);
        }

        for (int i = 0; i < ALLOWANCE; i++) {
            assertThat(send(client, request("/api/v1/app", randomToken()).build()).statusCode()).isEqualTo(401);
        }
        assertThat(send(client, request("/api/v1/app", randomToken()).build()).statusCode()).isEqualTo(429);
    }

    @Test
    void malformedTokensRevokedTokensAndAdminTokenGuessesSpendTheAllowanceToo() {
        var client = from("127.0.0.15");
        var issued = issue();
        String revoked = issued.path("token").asString();
        assertThat(send(from("127.0.0.1"), request("/api/v1/auth/token/" + issued.path("id").asString(), ADMIN_TOKEN)
                .DELETE().build()).statusCode()).isEqualTo(204);
        List<String> guesses = List.of("password", "gateway-it-admin2", "appsk_short", revoked, "hrsk_" + "!".repeat(43));

        for (String guess : guesses) {
            assertThat(send(client, request("/api/v1/app", guess).build()).statusCode()).isEqualTo(401);
        }

        assertThat(send(client, request("/api/v1/app", "gateway-it-admin3").build()).statusCode()).isEqualTo(429);
        assertThat(send(client, request("/api/v1/app", ADMIN_TOKEN).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void forwardedForFromAnUntrustedPeerChangesNothing() {
        var attacker = from("127.0.0.16");

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < ALLOWANCE + 3; i++) {
            statuses.add(send(attacker, request("/api/v1/app", randomToken())
                    .header("X-Forwarded-For", "198.51.100." + i)
                    .header("Forwarded", "for=198.51.100." + i)
                    .header("X-Real-IP", "198.51.100." + i).build()).statusCode());
        }

        assertThat(statuses.subList(0, ALLOWANCE)).containsOnly(401);
        assertThat(statuses.subList(ALLOWANCE, statuses.size())).containsOnly(429);
    }

    @Test
    void aTrustedProxyNamesTheClientAndAClientCannotSpoofAnotherThroughIt() {
        var proxy = from(TRUSTED_PROXY);
        for (int i = 0; i < ALLOWANCE; i++) {
            assertThat(send(proxy, request("/api/v1/app", randomToken()).header("X-Forwarded-For", "198.51.100.7").build())
                    .statusCode()).isEqualTo(401);
        }

        // the client writes an address of its own choosing; the proxy appends the one it saw
        int spoofed = send(proxy, request("/api/v1/app", randomToken())
                .header("X-Forwarded-For", "203.0.113.99, 198.51.100.7").build()).statusCode();
        int garbage = send(proxy, request("/api/v1/app", randomToken())
                .header("X-Forwarded-For", "evil.example, 198.51.100.7").build()).statusCode();
        int throughTwoProxies = send(proxy, request("/api/v1/app", randomToken())
                .header("X-Forwarded-For", "203.0.113.98, 198.51.100.7, " + TRUSTED_PROXY).build()).statusCode();
        int anotherClient = send(proxy, request("/api/v1/app", randomToken())
                .header("X-Forwarded-For", "198.51.100.8").build()).statusCode();

        assertThat(spoofed).isEqualTo(429);
        assertThat(garbage).isEqualTo(429);
        assertThat(throughTwoProxies).isEqualTo(429);
        assertThat(anotherClient).isEqualTo(401);
    }

    private void exhaust(java.net.http.HttpClient client) {
        for (int i = 0; i < ALLOWANCE; i++) {
            assertThat(send(client, request("/api/v1/app", randomToken()).build()).statusCode()).isEqualTo(401);
        }
    }

    /** A new organisation token, issued from an address no test here spends. */
    private String orgToken() {
        return issue().path("token").asString();
    }

    private tools.jackson.databind.JsonNode issue() {
        var answer = send(from("127.0.0.1"), request("/api/v1/auth/token", ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"failed-auth-it\"}")).build());
        assertThat(answer.statusCode()).isEqualTo(201);
        return JsonMapper.shared().readTree(answer.body());
    }
}
