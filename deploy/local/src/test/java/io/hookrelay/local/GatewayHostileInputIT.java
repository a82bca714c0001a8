package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Well over a thousand generated malformed and hostile requests through the gateway to the real
 * ingest and delivery services (bad, truncated and deeply nested JSON, wrong types for every field,
 * invalid UTF-8, huge headers, long URLs, path traversal, NUL bytes, wrong methods, absurd query
 * parameters, wrong content types, invalid tokens, CRLF injection, request smuggling shapes, and
 * every path spelling of {@link PathSpellings} without a valid token): none may get a 5xx or go
 * unanswered, none without a valid token a 2xx, every API error is a Svix-style body, and the
 * platform still works afterwards.
 *
 * <p>The requests come from a seeded {@link java.util.Random}; the seed is printed, and
 * {@code -Dhookrelay.hostile.seed=<seed>} repeats a run exactly. The build uses a fixed seed so
 * that a red run means a change broke something; {@code -Dhookrelay.hostile.seed=random} explores
 * (two random seeds found real bugs on 2026-11-23 — run it that way often).
 */
@ExtendWith(SharedPlatform.Extension.class)
class GatewayHostileInputIT {

    static final String TOKEN = SharedPlatform.ADMIN_TOKEN;
    static final long DEFAULT_SEED = 7863504753072L;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int CONCURRENCY = 4;
    static final JsonMapper JSON = JsonMapper.builder().build();

    static Receiver receiver;
    static int port;
    static String gateway;
    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** What one request got: a status, the connection closed without an answer, or nothing in time. */
    record Outcome(HostileRequest request, RawHttp.Answer.Kind kind, int status, String contentType, byte[] body, String error) {}

    /** A thousand requests from one token in a few seconds: the shared platform keeps the limiter in the path, but out of the way. */
    @BeforeAll
    static void connect(SharedPlatform platform) {
        port = platform.gatewayPort();
        receiver = new Receiver();
        gateway = platform.gateway();
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void hostileRequestsGetA4xxOrLessNeverA5xxOrSilenceAndThePlatformStaysHealthy() throws Exception {
        String asked = System.getProperty("hookrelay.hostile.seed", Long.toString(DEFAULT_SEED));
        long seed = asked.equals("random") ? System.nanoTime() : Long.parseLong(asked);
        System.out.println("GatewayHostileInputIT: seed " + seed + " (repeat with -Dhookrelay.hostile.seed=" + seed + ")");
        var fixtures = createFixtures();
        List<HostileRequest> requests = HostileRequests.generate(seed, fixtures);

        long start = System.nanoTime();
        List<Outcome> outcomes = sendAll(requests);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        printSummary(outcomes, took);
        assertThat(requests).hasSizeGreaterThanOrEqualTo(1_000);
        assertThat(problems(outcomes)).as("requests handled wrongly (seed %d)", seed).isEmpty();
        assertThat(send("GET", "/api/v1/health/", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/app/" + fixtures.app(), null).statusCode())
                .as("no hostile request deleted the application").isEqualTo(200);
        assertThat(send("GET", "/api/v1/app/" + fixtures.app() + "/endpoint/" + fixtures.endpoint(), null).statusCode())
                .as("no hostile request deleted the endpoint").isEqualTo(200);
        aMessageStillTravelsFromCreateToReceiver();
    }

    // ---------------------------------------------------------------- fixtures

    private static HostileRequests.Fixtures createFixtures() throws Exception {
        String uid = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        String app = field(created("POST", "/api/v1/app", "{\"name\":\"hostile target\",\"uid\":\"" + uid + "\"}"), "id");
        String endpoint = field(created("POST", "/api/v1/app/" + app + "/endpoint", "{\"url\":\"" + receiver.url() + "\"}"), "id");
        String message = field(created("POST", "/api/v1/app/" + app + "/msg", "{\"eventType\":\"hostile.setup\",\"payload\":{}}"), "id");
        String eventType = "hostile.type";
        created("POST", "/api/v1/event-type", "{\"name\":\"" + eventType + "\",\"description\":\"d\"}");
        String other = field(created("POST", "/api/v1/app", "{\"name\":\"someone else\"}"), "id");
        String otherToken = field(created("POST", "/api/v1/auth/app-portal-access/" + other, "{}"), "token");
        String readOnly = field(created("POST", "/api/v1/auth/app-portal-access/" + app, "{\"readOnly\":true}"), "token");
        String revoked = field(created("POST", "/api/v1/auth/token", "{\"name\":\"to revoke\"}"), "token");
        var logout = HttpRequest.newBuilder(URI.create(gateway + "/api/v1/auth/logout"))
                .header("Authorization", "Bearer " + revoked)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        assertThat(http.send(logout, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);
        return new HostileRequests.Fixtures("127.0.0.1:" + port, TOKEN, app, uid, endpoint, message, eventType,
                otherToken, readOnly, revoked, receiver.url());
    }

    private static JsonNode created(String method, String path, String body) throws Exception {
        var response = send(method, path, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    private static String field(JsonNode node, String name) {
        return node.get(name).asString();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void aMessageStillTravelsFromCreateToReceiver() throws Exception {
        String app = field(created("POST", "/api/v1/app", "{\"name\":\"after the storm\"}"), "id");
        created("POST", "/api/v1/app/" + app + "/endpoint", "{\"url\":\"" + receiver.url() + "\"}");
        String marker = UUID.randomUUID().toString();

        var message = send("POST", "/api/v1/app/" + app + "/msg", "{\"eventType\":\"after.storm\",\"payload\":{\"marker\":\"" + marker + "\"}}");

        assertThat(message.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.received.stream().anyMatch(webhook -> webhook.body().contains(marker)));
    }

    // ---------------------------------------------------------------- sending

    private static List<Outcome> sendAll(List<HostileRequest> requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (HostileRequest request : requests) {
                futures.add(pool.submit(() -> send(request)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                // each request has its own 10 s limit; this bound only catches a stuck client
                outcomes.add(future.get(TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome send(HostileRequest request) {
        if (request.isRaw()) {
            return sendRaw(request);
        }
        HttpRequest built;
        try {
            built = build(request);
        } catch (IllegalArgumentException refusedByTheClient) {
            // java.net.URI or the client refuses it (a stray %, a control character): send the same bytes raw
            return sendRaw(request.asRaw(asRawBytes(request)));
        }
        try {
            var response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
            return new Outcome(request, RawHttp.Answer.Kind.ANSWERED, response.statusCode(),
                    response.headers().firstValue("content-type").orElse(null), response.body(), null);
        } catch (HttpTimeoutException e) {
            return new Outcome(request, RawHttp.Answer.Kind.TIMED_OUT, 0, null, new byte[0], e.toString());
        } catch (IOException e) {
            return new Outcome(request, RawHttp.Answer.Kind.CLOSED, 0, null, new byte[0], e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Outcome sendRaw(HostileRequest request) {
        // after the start of a request, say it ends here: a server may rightly wait for the rest otherwise
        var answer = RawHttp.exchange(port, request.raw(), request.incomplete(), TIMEOUT);
        return new Outcome(request, answer.kind(), answer.status(), answer.contentType(), answer.body(), null);
    }

    private static HttpRequest build(HostileRequest request) {
        var builder = HttpRequest.newBuilder(URI.create(gateway + request.target()))
                .timeout(TIMEOUT)
                .method(request.method(), request.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(header -> builder.header(header.getKey(), header.getValue()));
        return builder.build();
    }

    private static byte[] asRawBytes(HostileRequest request) {
        var head = new StringBuilder(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        request.headers().forEach(header -> head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n"));
        byte[] body = request.body() == null ? new byte[0] : request.body();
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        var out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- judging

    private static final Set<Integer> WRONG_METHOD_STATUSES = Set.of(404, 405);

    static List<String> problems(List<Outcome> outcomes) {
        List<String> problems = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            String problem = problem(outcome);
            if (problem != null) {
                problems.add(problem + " <- " + outcome.request().describe());
            }
        }
        return problems;
    }

    private static String problem(Outcome outcome) {
        HostileRequest request = outcome.request();
        switch (outcome.kind()) {
            case TIMED_OUT -> {
                return "no answer within " + TIMEOUT.toSeconds() + " s";
            }
            case CLOSED -> {
                return request.isRaw() && request.protocolViolation()
                        ? null
                        : "connection closed without an answer (" + outcome.error() + ")";
            }
            case ANSWERED -> {
                // judged below
            }
        }
        int status = outcome.status();
        if (status >= 500 || status < 100) {
            return "status " + status + " " + excerpt(outcome.body());
        }
        if (request.mustBeRefused() && status >= 200 && status < 300) {
            return "answered " + status + " without a valid token";
        }
        if (request.forbiddenInBody() != null && status < 300
                && new String(outcome.body(), StandardCharsets.UTF_8).contains(request.forbiddenInBody())) {
            return "a token scoped to another application saw " + request.forbiddenInBody();
        }
        if (request.family().equals("wrong-method") && !request.isRaw() && !WRONG_METHOD_STATUSES.contains(status)) {
            return "wrong method answered " + status;
        }
        if (status >= 400 && !request.method().equals("HEAD")) {
            boolean json = outcome.contentType() != null && outcome.contentType().startsWith("application/json");
            if (!request.isRaw() || json) {
                return svixError(outcome.body()) ? null : status + " without a Svix error body: " + outcome.contentType() + " "
                        + excerpt(outcome.body());
            }
        }
        return null;
    }

    /** {@code {code, detail}} with strings, or a 422's {@code {detail: [{loc, msg, type}]}}. */
    static boolean svixError(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (RuntimeException notJson) {
            return false;
        }
        if (node == null || !node.isObject() || node.get("detail") == null) {
            return false;
        }
        JsonNode detail = node.get("detail");
        if (detail.isString()) {
            return node.get("code") != null && node.get("code").isString();
        }
        if (!detail.isArray() || detail.isEmpty()) {
            return false;
        }
        for (JsonNode item : detail) {
            if (!item.isObject() || !item.has("loc") || !item.has("msg") || !item.has("type")) {
                return false;
            }
        }
        return true;
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return HostileRequest.printable(text);
    }

    private static void printSummary(List<Outcome> outcomes, Duration took) {
        var byStatus = new TreeMap<String, Integer>();
        var byFamily = new TreeMap<String, Map<String, Integer>>();
        for (Outcome outcome : outcomes) {
            String key = switch (outcome.kind()) {
                case ANSWERED -> Integer.toString(outcome.status());
                case CLOSED -> outcome.request().isRaw() ? "closed (raw protocol violation)" : "closed";
                case TIMED_OUT -> "timed out";
            };
            byStatus.merge(key, 1, Integer::sum);
            byFamily.computeIfAbsent(outcome.request().family(), family -> new TreeMap<>()).merge(key, 1, Integer::sum);
        }
        var out = new StringBuilder();
        out.append(String.format("GatewayHostileInputIT: %d requests in %.1f s (%d raw socket, %d HTTP client)%n",
                outcomes.size(), took.toMillis() / 1000.0,
                outcomes.stream().filter(o -> o.request().isRaw()).count(),
                outcomes.stream().filter(o -> !o.request().isRaw()).count()));
        out.append(String.format("%-34s %7s%n", "status", "count"));
        byStatus.forEach((status, count) -> out.append(String.format("%-34s %7d%n", status, count)));
        out.append("by family:\n");
        byFamily.forEach((family, counts) -> out.append(String.format("  %-20s %s%n", family, counts)));
        System.out.print(out);
    }
}
