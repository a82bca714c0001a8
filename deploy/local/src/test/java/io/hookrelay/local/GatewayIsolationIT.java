package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tenant isolation matrix, through the gateway against the real services: two applications,
 * an organisation token and an application token for each, every operation family. An
 * organisation token may do everything; an application token everything inside its own
 * application (but not change or delete the application itself) and read the event types; any
 * other application, and everything organisation-wide, does not exist for it (404, never 403).
 */
@ExtendWith(SharedPlatform.Extension.class)
class GatewayIsolationIT {

    static final String ADMIN = SharedPlatform.ADMIN_TOKEN;
    /** Replaced by the name of the token sending a message, to find out later who wrote what. */
    static final String SENDER = "@SENDER@";
    static final ObjectMapper json = new ObjectMapper();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static String gateway;

    /** One application and what lives in it, created with the admin token. */
    record Tenant(String name, String appId, String uid, String endpointId, String messageId) {}

    /** An operation and its path, method and body for a tenant; {@code orgWide} ones ignore the tenant. */
    record Operation(String name, String method, Function<Tenant, String> path, Function<Tenant, String> body,
            boolean orgWide, Expect forOwnAppToken) {}

    enum Expect { ALLOWED, FORBIDDEN, NOT_FOUND }

    @BeforeAll
    static void connect(SharedPlatform platform) {
        gateway = platform.gateway();
    }

    @Test
    void onlyWhatATokenIsAllowedSucceeds() throws Exception {
        String org = call(ADMIN, "POST", "/api/v1/auth/token", "{\"name\":\"isolation org\"}").path("token").asText();
        assertThat(org).startsWith("hrsk_");
        Tenant a = tenant("a");
        Tenant b = tenant("b");
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("org", org);
        tokens.put("app:a", call(org, "POST", "/api/v1/auth/app-portal-access/" + a.appId(), "{}").path("token").asText());
        tokens.put("app:b", call(org, "POST", "/api/v1/auth/app-portal-access/" + b.uid(), "{}").path("token").asText());

        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (var token : tokens.entrySet()) {
            for (Tenant tenant : List.of(a, b)) {
                for (Operation operation : operations()) {
                    if (operation.orgWide() && tenant == b) {
                        continue;
                    }
                    Expect expected = token.getKey().equals("org") ? Expect.ALLOWED
                            : operation.orgWide() || !token.getKey().equals("app:" + tenant.name()) ? orgWide(operation)
                            : operation.forOwnAppToken();
                    Tenant target = operation.method().equals("DELETE") ? withNewEndpoint(tenant) : tenant;
                    String body = operation.body().apply(target);
                    var response = send(token.getValue(), operation.method(), operation.path().apply(target),
                            body == null ? null : body.replace(SENDER, token.getKey()));
                    checked++;
                    int status = response.statusCode();
                    boolean ok = switch (expected) {
                        case ALLOWED -> status >= 200 && status < 300;
                        case FORBIDDEN -> status == 403;
                        case NOT_FOUND -> status == 404 && json.readTree(response.body()).path("code").asText().equals("not_found");
                    };
                    if (!ok) {
                        failures.add(token.getKey() + " on " + tenant.name() + ": " + operation.name() + " "
                                + operation.method() + " expected " + expected + " got " + status + " " + response.body());
                    }
                }
            }
        }
        assertThat(failures).as("isolation matrix (%d requests)", checked).isEmpty();
        assertThat(checked).isGreaterThan(100);

        // what the refused requests tried to do did not happen: no token wrote into another's application
        for (Tenant tenant : List.of(a, b)) {
            List<String> senders = new ArrayList<>();
            for (JsonNode message : call(ADMIN, "GET", "/api/v1/app/" + tenant.appId() + "/msg?limit=250", null).path("data")) {
                senders.add(message.path("payload").path("by").asText());
            }
            assertThat(senders).containsOnly("admin", "org", "app:" + tenant.name())
                    .contains("org", "app:" + tenant.name());
        }
    }

    @Test
    void anApplicationTokenWorksWithTheUidAndStopsWorkingAfterLogout() throws Exception {
        Tenant c = tenant("c");
        String token = call(ADMIN, "POST", "/api/v1/auth/app-portal-access/" + c.uid(), "{}").path("token").asText();
        assertThat(send(token, "GET", "/api/v1/app/" + c.uid() + "/endpoint", null).statusCode()).isEqualTo(200);
        assertThat(send(token, "POST", "/api/v1/auth/logout", null).statusCode()).isEqualTo(204);
        assertThat(send(token, "GET", "/api/v1/app/" + c.uid() + "/endpoint", null).statusCode()).isEqualTo(401);
    }

    @Test
    void anotherApplicationsIdsUnderOnesOwnApplicationAreNotFound() throws Exception {
        Tenant mine = tenant("mine");
        Tenant theirs = tenant("theirs");
        String token = call(ADMIN, "POST", "/api/v1/auth/app-portal-access/" + mine.appId(), "{}").path("token").asText();
        String own = "/api/v1/app/" + mine.appId();

        for (String[] request : List.of(
                new String[] {"GET", own + "/msg/" + theirs.messageId()},
                new String[] {"GET", own + "/endpoint/" + theirs.endpointId()},
                new String[] {"GET", own + "/endpoint/" + theirs.endpointId() + "/secret"},
                new String[] {"PATCH", own + "/endpoint/" + theirs.endpointId()},
                new String[] {"DELETE", own + "/endpoint/" + theirs.endpointId()},
                new String[] {"GET", own + "/attempt/msg/" + theirs.messageId()},
                new String[] {"GET", own + "/attempt/endpoint/" + theirs.endpointId()},
                new String[] {"GET", own + "/msg/" + theirs.messageId() + "/endpoint"},
                new String[] {"GET", own + "/endpoint/" + theirs.endpointId() + "/msg"},
                new String[] {"GET", own + "/endpoint/" + theirs.endpointId() + "/stats"},
                new String[] {"POST", own + "/msg/" + theirs.messageId() + "/endpoint/" + theirs.endpointId() + "/resend"},
                new String[] {"POST", own + "/endpoint/" + theirs.endpointId() + "/recover"},
                new String[] {"DELETE", own + "/msg/" + theirs.messageId() + "/content"})) {
            String body = request[0].equals("GET") || request[0].equals("DELETE") ? null
                    : request[1].endsWith("/recover") ? "{\"since\":\"" + Instant.now().minus(Duration.ofHours(1)) + "\"}"
                    : "{\"description\":\"x\"}";
            var response = send(token, request[0], request[1], body);
            assertThat(response.statusCode()).as("%s %s: %s", request[0], request[1], response.body()).isEqualTo(404);
        }
        assertThat(call(ADMIN, "GET", "/api/v1/app/" + theirs.appId() + "/endpoint/" + theirs.endpointId(), null)
                .path("description").asText()).isNotEqualTo("x");
        assertThat(call(ADMIN, "GET", "/api/v1/app/" + theirs.appId() + "/msg/" + theirs.messageId(), null)
                .path("payload").path("by").asText()).isEqualTo("admin");
    }

    @Test
    void anApplicationTokenCannotBringItsDeletedApplicationBack() throws Exception {
        Tenant d = tenant("d");
        String token = call(ADMIN, "POST", "/api/v1/auth/app-portal-access/" + d.uid(), "{}").path("token").asText();
        assertThat(send(ADMIN, "DELETE", "/api/v1/app/" + d.appId(), null).statusCode()).isEqualTo(204);

        var response = send(token, "POST", "/api/v1/app/" + d.uid() + "/msg",
                "{\"eventType\":\"matrix.test\",\"payload\":{},\"application\":{\"name\":\"back\",\"uid\":\"" + d.uid() + "\"}}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(send(ADMIN, "GET", "/api/v1/app/" + d.uid(), null).statusCode()).isEqualTo(404);
    }

    private static Expect orgWide(Operation operation) {
        return operation.orgWide() && operation.forOwnAppToken() == Expect.ALLOWED ? Expect.ALLOWED : Expect.NOT_FOUND;
    }

    private static List<Operation> operations() {
        String since = Instant.now().minus(Duration.ofHours(1)).toString();
        return List.of(
                op("get application", "GET", t -> "/api/v1/app/" + t.appId(), null, Expect.ALLOWED),
                op("get application by uid", "GET", t -> "/api/v1/app/" + t.uid(), null, Expect.ALLOWED),
                op("patch application", "PATCH", t -> "/api/v1/app/" + t.appId(), t -> "{\"metadata\":{\"k\":\"v\"}}", Expect.FORBIDDEN),
                op("list endpoints", "GET", t -> "/api/v1/app/" + t.appId() + "/endpoint", null, Expect.ALLOWED),
                op("create endpoint", "POST", t -> "/api/v1/app/" + t.appId() + "/endpoint",
                        t -> "{\"url\":\"http://127.0.0.1:9/matrix\"}", Expect.ALLOWED),
                op("get endpoint", "GET", t -> "/api/v1/app/" + t.appId() + "/endpoint/" + t.endpointId(), null, Expect.ALLOWED),
                op("patch endpoint", "PATCH", t -> "/api/v1/app/" + t.appId() + "/endpoint/" + t.endpointId(),
                        t -> "{\"description\":\"patched\"}", Expect.ALLOWED),
                op("endpoint secret", "GET", t -> "/api/v1/app/" + t.appId() + "/endpoint/" + t.endpointId() + "/secret", null, Expect.ALLOWED),
                op("endpoint headers", "GET", t -> "/api/v1/app/" + t.appId() + "/endpoint/" + t.endpointId() + "/headers", null, Expect.ALLOWED),
                op("send message", "POST", t -> "/api/v1/app/" + t.appId() + "/msg",
                        t -> "{\"eventType\":\"matrix.test\",\"payload\":{\"by\":\"" + SENDER + "\"}}", Expect.ALLOWED),
                op("list messages", "GET", t -> "/api/v1/app/" + t.appId() + "/msg", null, Expect.ALLOWED),
                op("get message", "GET", t -> "/api/v1/app/" + t.appId() + "/msg/" + t.messageId(), null, Expect.ALLOWED),
                op("attempts of message", "GET", t -> "/api/v1/app/" + t.appId() + "/attempt/msg/" + t.messageId(), null, Expect.ALLOWED),
                op("attempts of endpoint", "GET", t -> "/api/v1/app/" + t.appId() + "/attempt/endpoint/" + t.endpointId(), null, Expect.ALLOWED),
                op("attempted destinations", "GET", t -> "/api/v1/app/" + t.appId() + "/msg/" + t.messageId() + "/endpoint", null, Expect.ALLOWED),
                op("attempted messages", "GET", t -> "/api/v1/app/" + t.appId() + "/endpoint/" + t.endpointId() + "/msg", null, Expect.ALLOWED),
                op("resend", "POST", t -> "/api/v1/app/" + t.appId() + "/msg/" + t.messageId() + "/endpoint/" + t.endpointId() + "/resend",
                        t -> "{}", Expect.ALLOWED),
                op("recover", "POST", t -> "/api/v1/app/" + t.appId() + "/endpoint/" + t.endpointId() + "/recover",
                        t -> "{\"since\":\"" + since + "\"}", Expect.ALLOWED),
                op("delete endpoint", "DELETE", t -> "/api/v1/app/" + t.appId() + "/endpoint/" + t.endpointId(), null, Expect.ALLOWED),
                orgOp("list applications", "GET", "/api/v1/app", null, Expect.NOT_FOUND),
                orgOp("create application", "POST", "/api/v1/app", "{\"name\":\"matrix\"}", Expect.NOT_FOUND),
                orgOp("list event types", "GET", "/api/v1/event-type", null, Expect.ALLOWED),
                orgOp("create event type", "POST", "/api/v1/event-type", "{\"name\":\"matrix.created\",\"description\":\"x\"}", Expect.NOT_FOUND),
                orgOp("list organisation tokens", "GET", "/api/v1/auth/token", null, Expect.NOT_FOUND),
                orgOp("issue organisation token", "POST", "/api/v1/auth/token", "{\"name\":\"matrix\"}", Expect.NOT_FOUND));
    }

    private static Operation op(String name, String method, Function<Tenant, String> path, Function<Tenant, String> body, Expect own) {
        return new Operation(name, method, path, body == null ? t -> null : body, false, own);
    }

    private static Operation orgOp(String name, String method, String path, String body, Expect appTokens) {
        return new Operation(name, method, t -> path, t -> body, true, appTokens);
    }

    /** Deletions get an endpoint of their own, so later operations still find the tenant's. */
    private static Tenant withNewEndpoint(Tenant tenant) throws Exception {
        String endpoint = call(ADMIN, "POST", "/api/v1/app/" + tenant.appId() + "/endpoint",
                "{\"url\":\"http://127.0.0.1:9/doomed\"}").path("id").asText();
        return new Tenant(tenant.name(), tenant.appId(), tenant.uid(), endpoint, tenant.messageId());
    }

    private static Tenant tenant(String name) throws Exception {
        String uid = "isolation-" + name + "-" + System.nanoTime();
        String app = call(ADMIN, "POST", "/api/v1/app", "{\"name\":\"" + name + "\",\"uid\":\"" + uid + "\"}").path("id").asText();
        String endpoint = call(ADMIN, "POST", "/api/v1/app/" + app + "/endpoint", "{\"url\":\"http://127.0.0.1:9/" + name + "\"}")
                .path("id").asText();
        String message = call(ADMIN, "POST", "/api/v1/app/" + app + "/msg",
                "{\"eventType\":\"matrix.test\",\"payload\":{\"by\":\"admin\"}}").path("id").asText();
        return new Tenant(name, app, uid, endpoint, message);
    }

    private static JsonNode call(String token, String method, String path, String body) throws Exception {
        var response = send(token, method, path, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return json.readTree(response.body());
    }

    private static HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
