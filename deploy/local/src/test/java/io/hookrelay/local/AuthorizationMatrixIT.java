package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookrelay.infra.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The authorisation test that new routes cannot outrun: every operation of the served
 * {@code /api/v1/openapi.json} (read at test time, so an operation added tomorrow is tried
 * tomorrow), its path filled with the real ids of a victim application's resources, in every
 * spelling of {@link PathSpellings}, with every credential that must not work — none, a garbage
 * bearer, a revoked organisation token, an expired token, and an application token of another
 * application. None may answer 2xx or 5xx; those without a valid token must be refused at the door
 * (400 for a spelling, 401 otherwise), another application's token must find nothing (400/404); and
 * afterwards every row of the ingest, delivery and gateway schemas is as it was.
 *
 * <p>Public operations (health, the API document) are left out only in their canonical spelling
 * with GET; an application token's organisation-wide reads (event types) and its own logout only in
 * their canonical spelling — those are allowed, and {@code GatewayIsolationIT} checks them.
 */
class AuthorizationMatrixIT {

    static final String ADMIN = "matrix-admin-token";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Set<String> PUBLIC_GETS = Set.of("/api/v1/health", "/api/v1/health/", "/api/v1/health/ping", "/api/v1/openapi.json");
    /** What an application token may do outside its application (AccessPolicy): read event types, log itself out. */
    static final Set<String> APP_TOKEN_ORG_WIDE = Set.of(
            "GET /api/v1/event-type", "GET /api/v1/event-type/{event_type_name}", "POST /api/v1/auth/logout");
    static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");

    static LocalPlatform platform;
    static Receiver receiver;
    static int port;
    static String gateway;

    /** A credential that must not reach the victim's resources, and the statuses it may get. */
    record Credential(String name, String authorization, Set<Integer> allowed) {}

    record Attempt(Credential credential, String method, String template, PathSpellings.Spelling spelling, String body) {}

    record Outcome(Attempt attempt, int status, String body) {}

    @BeforeAll
    static void startPlatform() throws Exception {
        port = Ports.freePort();
        receiver = new Receiver();
        platform = new LocalPlatform(
                new LocalSettings(WebhookEndToEndIT.REPOSITORY, Files.createTempDirectory("hookrelay-matrix"), port, ADMIN, false),
                new PrintStream(new ByteArrayOutputStream()),
                // thousands of requests from one address in seconds: a 429 (per-token rate limit, or the
                // per-address limit on failed authentications) would hide what the credential could do
                List.of("--hookrelay.gateway.rate-limit.requests-per-second=100000", "--hookrelay.gateway.rate-limit.burst=100000",
                        "--hookrelay.gateway.auth-failures.allowance=1000000"));
        platform.start();
        gateway = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void noOperationInAnySpellingAnswers2xxToACallerWhoMayNotUseItAndNothingChanges() throws Exception {
        Map<String, String> victim = victim();
        List<Credential> credentials = credentials();
        JsonNode document = servedDocument();
        List<Attempt> attempts = attempts(document, victim, credentials);
        realIdsAnswerTheAdmin(document, victim);
        awaitQuiet();
        Map<String, String> before = snapshot();

        long start = System.nanoTime();
        List<Outcome> outcomes = sendAll(attempts);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        printSummary(outcomes, took, document);
        assertThat(outcomes).hasSizeGreaterThan(2_000);
        assertThat(problems(outcomes)).as("requests answered as they must never be").isEmpty();
        awaitQuiet();
        assertThat(snapshot()).as("rows of the ingest, delivery and gateway schemas").isEqualTo(before);
    }

    // ---------------------------------------------------------------- fixtures

    /** The victim application and one of each of its resources; values by path template name. */
    private static Map<String, String> victim() throws Exception {
        String uid = "victim-" + UUID.randomUUID().toString().substring(0, 8);
        String app = call("POST", "/api/v1/app", "{\"name\":\"victim\",\"uid\":\"" + uid + "\"}").path("id").asString();
        String eventType = "matrix.victim";
        call("POST", "/api/v1/event-type", "{\"name\":\"" + eventType + "\",\"description\":\"the victim's\"}");
        String endpoint = call("POST", "/api/v1/app/" + app + "/endpoint",
                "{\"url\":\"" + receiver.url() + "\",\"uid\":\"victim-main\"}").path("id").asString();
        String message = call("POST", "/api/v1/app/" + app + "/msg",
                "{\"eventType\":\"" + eventType + "\",\"payload\":{\"secret\":\"victim\"}}").path("id").asString();
        String[] attempt = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode attempts = call("GET", "/api/v1/app/" + app + "/attempt/msg/" + message, null).path("data");
            attempt[0] = attempts.isEmpty() ? null : attempts.get(0).path("id").asString();
            return attempt[0] != null;
        });
        String liveToken = call("POST", "/api/v1/auth/token", "{\"name\":\"victim's live token\"}").path("id").asString();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("app_id", app);
        values.put("endpoint_id", endpoint);
        values.put("msg_id", message);
        values.put("attempt_id", attempt[0]);
        values.put("event_type_name", eventType);
        values.put("token_id", liveToken);
        return values;
    }

    private static List<Credential> credentials() throws Exception {
        Set<Integer> atTheDoor = Set.of(400, 401);
        JsonNode toRevoke = call("POST", "/api/v1/auth/token", "{\"name\":\"to revoke\"}");
        String revoked = toRevoke.path("token").asString();
        assertThat(send(ADMIN, "DELETE", "/api/v1/auth/token/" + toRevoke.path("id").asString(), null).statusCode()).isBetween(200, 299);
        String other = call("POST", "/api/v1/app", "{\"name\":\"someone else\"}").path("id").asString();
        String otherAppToken = call("POST", "/api/v1/auth/app-portal-access/" + other, "{}").path("token").asString();
        return List.of(
                new Credential("none", null, atTheDoor),
                new Credential("garbage bearer", "Bearer hrsk_" + base62(43), atTheDoor),
                new Credential("revoked org token", "Bearer " + revoked, atTheDoor),
                new Credential("expired token", "Bearer " + expiredToken(), atTheDoor),
                new Credential("another application's token", "Bearer " + otherAppToken, Set.of(400, 404)));
    }

    /** An organisation token that expired an hour ago, written straight into the gateway's table. */
    private static String expiredToken() throws Exception {
        String token = "hrsk_" + base62(43);
        try (Connection db = DriverManager.getConnection(platform.jdbcUrl(), "postgres", "");
                var insert = db.prepareStatement("insert into gateway.api_token (id, secret_hash, kind, name, expires_at)"
                        + " values (?, ?, 'org', 'expired', now() - interval '1 hour')")) {
            insert.setString(1, "tok_matrixexpired" + base62(10));
            insert.setBytes(2, MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
            insert.executeUpdate();
        }
        return token;
    }

    // ---------------------------------------------------------------- the matrix

    private static List<Attempt> attempts(JsonNode document, Map<String, String> victim, List<Credential> credentials) {
        String since = Instant.now().minus(Duration.ofHours(1)).toString();
        List<Attempt> attempts = new ArrayList<>();
        for (var path : document.path("paths").properties()) {
            String template = path.getKey();
            List<String> segments = new ArrayList<>();
            Set<Integer> ids = new HashSet<>();
            for (String segment : PathSpellings.segments(template)) {
                Matcher name = TEMPLATE.matcher(segment);
                if (name.matches()) {
                    ids.add(segments.size());
                    segments.add(victim.getOrDefault(name.group(1), "unknown-" + name.group(1)));
                } else {
                    segments.add(segment);
                }
            }
            for (var operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                String body = body(method, template, victim, since);
                for (PathSpellings.Spelling spelling : PathSpellings.of(segments, ids)) {
                    for (Credential credential : credentials) {
                        if (spelling.isOriginal() && method.equals("GET") && PUBLIC_GETS.contains(template)) {
                            continue;
                        }
                        if (spelling.isOriginal() && credential.name().startsWith("another application")
                                && APP_TOKEN_ORG_WIDE.contains(method + " " + template)) {
                            continue;
                        }
                        attempts.add(new Attempt(credential, method, template, spelling, body));
                    }
                }
            }
        }
        return attempts;
    }

    /** A body the operation would accept, so that a request getting through would change something. */
    private static String body(String method, String template, Map<String, String> victim, String since) {
        if (method.equals("GET") || method.equals("DELETE")) {
            return null;
        }
        String key = method + " " + template;
        return switch (key) {
            case "POST /api/v1/app", "PUT /api/v1/app/{app_id}", "PATCH /api/v1/app/{app_id}" -> "{\"name\":\"matrix\"}";
            case "POST /api/v1/app/{app_id}/endpoint", "PUT /api/v1/app/{app_id}/endpoint/{endpoint_id}" ->
                    "{\"url\":\"http://127.0.0.1:9/matrix\"}";
            case "PATCH /api/v1/app/{app_id}/endpoint/{endpoint_id}" -> "{\"description\":\"matrix\"}";
            case "PUT /api/v1/app/{app_id}/endpoint/{endpoint_id}/headers",
                    "PATCH /api/v1/app/{app_id}/endpoint/{endpoint_id}/headers" -> "{\"headers\":{\"X-Matrix\":\"1\"}}";
            case "POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/recover" -> "{\"since\":\"" + since + "\"}";
            case "POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/send-example" ->
                    "{\"eventType\":\"" + victim.get("event_type_name") + "\"}";
            case "POST /api/v1/app/{app_id}/msg" -> "{\"eventType\":\"matrix.test\",\"payload\":{\"by\":\"matrix\"}}";
            case "POST /api/v1/event-type" -> "{\"name\":\"matrix.created\",\"description\":\"matrix\"}";
            case "PUT /api/v1/event-type/{event_type_name}", "PATCH /api/v1/event-type/{event_type_name}" ->
                    "{\"description\":\"matrix\"}";
            case "POST /api/v1/auth/token" -> "{\"name\":\"matrix\"}";
            default -> "{}";
        };
    }

    /** The document as served; its first build asks both services, which a loaded machine may make take a while. */
    private static JsonNode servedDocument() throws Exception {
        var served = new java.util.concurrent.atomic.AtomicReference<HttpResponse<String>>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    served.set(send(ADMIN, "GET", "/api/v1/openapi.json", null));
                    return served.get().statusCode() == 200;
                });
        return JSON.readTree(served.get().body());
    }

    /** The ids are real: the organisation reads every one of the victim's resources. */
    private static void realIdsAnswerTheAdmin(JsonNode document, Map<String, String> victim) throws Exception {
        for (var path : document.path("paths").properties()) {
            if (!path.getValue().has("get")) {
                continue;
            }
            Matcher names = TEMPLATE.matcher(path.getKey());
            String concrete = names.replaceAll(name -> Matcher.quoteReplacement(victim.getOrDefault(name.group(1), "unknown")));
            var response = send(ADMIN, "GET", concrete, null);
            assertThat(response.statusCode()).as("GET %s with the admin token: %s", concrete, response.body()).isBetween(200, 299);
        }
    }

    private static List<String> problems(List<Outcome> outcomes) {
        List<String> problems = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            var attempt = outcome.attempt();
            if (!attempt.credential().allowed().contains(outcome.status())) {
                problems.add(attempt.credential().name() + ": " + attempt.method() + " " + HostileRequest.printable(attempt.spelling().target())
                        + " (" + attempt.spelling().name() + ") -> " + outcome.status() + " "
                        + HostileRequest.printable(outcome.body().substring(0, Math.min(200, outcome.body().length()))));
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- sending

    private static List<Outcome> sendAll(List<Attempt> attempts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Attempt attempt : attempts) {
                futures.add(pool.submit(() -> sendRaw(attempt)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get(TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Written to the socket as it is: no client library re-encodes or normalises the target. */
    private static Outcome sendRaw(Attempt attempt) {
        byte[] body = attempt.body() == null ? new byte[0] : attempt.body().getBytes(StandardCharsets.UTF_8);
        var head = new StringBuilder(attempt.method()).append(' ').append(attempt.spelling().target()).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        if (attempt.credential().authorization() != null) {
            head.append("Authorization: ").append(attempt.credential().authorization()).append("\r\n");
        }
        if (attempt.body() != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        var request = new ByteArrayOutputStream();
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        var answer = RawHttp.exchange(port, request.toByteArray(), false, TIMEOUT);
        int status = answer.kind() == RawHttp.Answer.Kind.ANSWERED ? answer.status() : -1;
        return new Outcome(attempt, status, answer.kind() + " " + new String(answer.body(), StandardCharsets.UTF_8));
    }

    private static JsonNode call(String method, String path, String body) throws Exception {
        var response = send(ADMIN, method, path, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    // ---------------------------------------------------------------- nothing changed

    /** Waits until nothing is in flight: the outbox published, every delivery finished. */
    private static void awaitQuiet() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection db = DriverManager.getConnection(platform.jdbcUrl(), "postgres", "");
                    var statement = db.createStatement();
                    var rows = statement.executeQuery("select (select count(*) from ingest.outbox) + (select count(*) from delivery.pending_delivery)")) {
                rows.next();
                return rows.getLong(1) == 0;
            }
        });
    }

    /** Per table of the three schemas: its row count and a digest of all its rows. */
    private static Map<String, String> snapshot() throws Exception {
        Map<String, String> tables = new TreeMap<>();
        try (Connection db = DriverManager.getConnection(platform.jdbcUrl(), "postgres", "")) {
            List<String> names = new ArrayList<>();
            try (var statement = db.createStatement();
                    var rows = statement.executeQuery("select table_schema || '.' || table_name from information_schema.tables"
                            + " where table_schema in ('ingest', 'delivery', 'gateway') and table_type = 'BASE TABLE'")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            for (String table : names) {
                try (var statement = db.createStatement();
                        var rows = statement.executeQuery("select count(*), coalesce(md5(string_agg(t::text, '|' order by t::text)), '')"
                                + " from " + table + " t")) {
                    rows.next();
                    tables.put(table, rows.getLong(1) + " rows, md5 " + rows.getString(2));
                }
            }
        }
        assertThat(tables).containsKeys("ingest.application", "ingest.endpoint", "ingest.message", "delivery.attempt", "gateway.api_token");
        return tables;
    }

    // ---------------------------------------------------------------- report

    private static void printSummary(List<Outcome> outcomes, Duration took, JsonNode document) {
        var byStatus = new TreeMap<Integer, Integer>();
        var byCredential = new TreeMap<String, Map<Integer, Integer>>();
        var bySpelling = new TreeMap<String, Map<Integer, Integer>>();
        Set<String> operations = ConcurrentHashMap.newKeySet();
        for (Outcome outcome : outcomes) {
            byStatus.merge(outcome.status(), 1, Integer::sum);
            byCredential.computeIfAbsent(outcome.attempt().credential().name(), k -> new TreeMap<>()).merge(outcome.status(), 1, Integer::sum);
            bySpelling.computeIfAbsent(outcome.attempt().spelling().name(), k -> new TreeMap<>()).merge(outcome.status(), 1, Integer::sum);
            operations.add(outcome.attempt().method() + " " + outcome.attempt().template());
        }
        long twoHundreds = outcomes.stream().filter(o -> o.status() >= 200 && o.status() < 300).count();
        var out = new StringBuilder();
        out.append(String.format("AuthorizationMatrixIT: %d requests in %.1f s: %d operations of the served document (%d paths),"
                        + " %d credentials, %d kinds of spelling; answered 2xx: %d%n",
                outcomes.size(), took.toMillis() / 1000.0, operations.size(), document.path("paths").size(), byCredential.size(),
                bySpelling.size(), twoHundreds));
        out.append("status histogram: ").append(byStatus).append('\n');
        byCredential.forEach((name, counts) -> out.append(String.format("  %-30s %s%n", name, counts)));
        bySpelling.forEach((name, counts) -> out.append(String.format("  %-30s %s%n", name, counts)));
        System.out.print(out);
    }

    private static String base62(int length) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var random = new SecureRandom();
        var out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
