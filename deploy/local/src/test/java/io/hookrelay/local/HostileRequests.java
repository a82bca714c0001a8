package io.hookrelay.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates the hostile requests of {@link GatewayHostileInputIT} from a seeded {@link Random}:
 * the same seed gives the same requests, in the same order.
 */
final class HostileRequests {

    /**
     * What exists on the platform when the requests are made.
     *
     * @param adminToken an organisation token
     * @param app the application most requests aim at (its id), {@code appUid} its uid
     * @param endpoint an endpoint of {@code app}, {@code message} a message of it
     * @param eventType an event type that exists
     * @param otherAppToken a token scoped to another application, which must never see {@code app}
     * @param readOnlyToken a read-only token scoped to {@code app}
     * @param revokedToken a token that was logged out
     * @param receiverUrl a loopback webhook receiver (the only destination endpoints may get)
     */
    record Fixtures(
            String host,
            String adminToken,
            String app,
            String appUid,
            String endpoint,
            String message,
            String eventType,
            String otherAppToken,
            String readOnlyToken,
            String revokedToken,
            String receiverUrl) {}

    /** A route of the API that takes a JSON body, with a valid body to start mutating from. */
    private record BodyRoute(String method, String path, Map<String, String> validFields) {}

    /** A route and the methods it answers. */
    private record RouteFamily(String path, Set<String> methods) {}

    private static final String JSON = "application/json";

    private final Random random;
    private final Fixtures f;
    private final List<HostileRequest> requests = new ArrayList<>();

    private HostileRequests(Random random, Fixtures fixtures) {
        this.random = random;
        this.f = fixtures;
    }

    static List<HostileRequest> generate(long seed, Fixtures fixtures) {
        var generator = new HostileRequests(new Random(seed), fixtures);
        generator.wrongTypesForEveryField();
        generator.malformedBodies();
        generator.absurdQueryParameters();
        generator.pathTraversal();
        generator.wrongMethods();
        generator.wrongContentTypes();
        generator.bodiesWhereNoneBelong();
        generator.invalidTokens();
        generator.rawProtocolAbuse();
        // last, so that the families above draw the same numbers from a seed as before it was added
        generator.unauthenticatedPathSpellings();
        List<HostileRequest> all = new ArrayList<>(generator.requests);
        Collections.shuffle(all, generator.random);
        return all;
    }

    // ---------------------------------------------------------------- bodies

    private List<BodyRoute> bodyRoutes() {
        String app = "/api/v1/app/" + f.app();
        String endpoint = app + "/endpoint/" + f.endpoint();
        Map<String, String> application = fields(
                "name", str("hostile"), "uid", str("hostile-" + random.nextInt(1_000_000)),
                "metadata", "{\"k\":\"v\"}", "throttleRate", "10");
        Map<String, String> endpointIn = fields(
                "url", str(f.receiverUrl()), "description", str("d"), "uid", str("ep-" + random.nextInt(1_000_000)),
                "version", "1", "eventTypes", "[\"a.b\"]", "filterTypes", "[\"a.b\"]", "channels", "[\"c\"]",
                "disabled", "false", "throttleRate", "5", "metadata", "{\"k\":\"v\"}",
                "secret", str("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        Map<String, String> eventTypeIn = fields(
                "name", str("hostile.t" + random.nextInt(1_000_000)), "description", str("d"), "archived", "false",
                "deprecated", "false", "featureFlag", str("ff"), "schemas", "{\"1\":{\"type\":\"object\"}}");
        Map<String, String> eventTypeUpdate = new LinkedHashMap<>(eventTypeIn);
        eventTypeUpdate.remove("name");
        Map<String, String> headers = fields("headers", "{\"X-Tenant\":\"t\"}", "deleteHeaders", "[\"X-Gone\"]");
        return List.of(
                new BodyRoute("POST", "/api/v1/app", application),
                new BodyRoute("PUT", app, fields("name", str("renamed"), "uid", str(f.appUid()), "metadata", "{}", "throttleRate", "10")),
                new BodyRoute("PATCH", app, fields("name", str("patched"), "metadata", "{\"p\":\"q\"}", "throttleRate", "20")),
                new BodyRoute("POST", app + "/endpoint", endpointIn),
                new BodyRoute("PUT", endpoint, endpointIn),
                new BodyRoute("PATCH", endpoint, endpointIn),
                new BodyRoute("PUT", endpoint + "/headers", headers),
                new BodyRoute("PATCH", endpoint + "/headers", headers),
                new BodyRoute("POST", endpoint + "/secret/rotate",
                        fields("key", str("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "gracePeriodSeconds", "60")),
                new BodyRoute("POST", endpoint + "/recover",
                        fields("since", str("2024-01-01T00:00:00Z"), "until", str("2024-01-02T00:00:00Z"))),
                new BodyRoute("POST", app + "/msg", fields(
                        "eventType", str("hostile.event"), "payload", "{\"n\":1}", "eventId", str("evt-" + random.nextInt(1_000_000)),
                        "channels", "[\"c\"]", "payloadRetentionPeriod", "90", "transformationsParams", "{\"rawPayload\":\"{}\"}")),
                new BodyRoute("POST", "/api/v1/event-type", eventTypeIn),
                new BodyRoute("PUT", "/api/v1/event-type/" + f.eventType(), eventTypeUpdate),
                new BodyRoute("PATCH", "/api/v1/event-type/" + f.eventType(), eventTypeUpdate),
                new BodyRoute("POST", "/api/v1/auth/token", fields("name", str("hostile"), "expiry", "3600")),
                new BodyRoute("POST", "/api/v1/auth/app-portal-access/" + f.app(), fields(
                        "application", "{\"name\":\"x\"}", "featureFlags", "[\"a\"]", "expiry", "3600", "readOnly", "true")));
    }

    /** Values of the wrong JSON type for any field, and values no field should take. */
    private static final List<String> WRONG_TYPES = List.of(
            "123", "true", "null", "\"text\"", "[1,\"a\",null]", "{\"a\":{\"b\":[1]}}");

    private static final List<String> EDGE_NUMBERS =
            List.of("0", "-1", "2147483648", "10000000000000", "9223372036854775807", "-9223372036854775808");

    private List<String> exoticValues() {
        return List.of(
                "1e999", "-1e999", "123456789012345678901234567890", "-9223372036854775809", "9223372036854775808",
                "1" + "0".repeat(5000), "0.000000000000000000000000000001", "-0", "-1", "1.5", "NaN", "Infinity", "[]", "{}",
                "\"\"", "\" \"", str("x".repeat(70_000)), "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udfff\\ud800\"",
                "\"💥\"", "\"\\u202e\"", "\"../../etc/passwd\"", "\"%00\"", "\"<script>alert(1)</script>\"",
                "\"' OR 1=1 --\"", "\"${jndi:ldap://127.0.0.1/x}\"", "\"\\r\\nX-Injected: 1\"", "\"2024-13-45T99:99:99Z\"",
                "[" + "1,".repeat(5000) + "1]", "{\"\\u0000\":\"\\u0000\"}", "{\"\":\"\"}", "[\"\\u0000\"]",
                "\"" + randomAsciiString(40) + "\"");
    }

    private void wrongTypesForEveryField() {
        List<String> exotic = exoticValues();
        for (BodyRoute route : bodyRoutes()) {
            for (String field : route.validFields().keySet()) {
                for (String value : WRONG_TYPES) {
                    addBody("wrong-type", route, withField(route.validFields(), field, value));
                }
                addBody("nul-character", route, withField(route.validFields(), field, "\"a\\u0000b\""));
                // in-range numbers at the edges, every field, every seed (a random pick missed them once)
                for (String edge : EDGE_NUMBERS) {
                    addBody("edge-number", route, withField(route.validFields(), field, edge));
                }
                for (int i = 0; i < 3; i++) {
                    addBody("exotic-value", route, withField(route.validFields(), field, exotic.get(random.nextInt(exotic.size()))));
                }
            }
            addBody("missing-fields", route, "{}");
            addBody("unknown-fields", route, object(route.validFields()).replaceFirst("\\{", "{\"__proto__\":{\"admin\":true},\"zz\":1,"));
        }
    }

    private void malformedBodies() {
        for (BodyRoute route : bodyRoutes()) {
            String valid = object(route.validFields());
            byte[] validBytes = valid.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 3; i++) {
                addBody("truncated-json", route, valid.substring(0, 1 + random.nextInt(valid.length() - 1)));
                addBody("garbage-bytes", route, randomBytes(1 + random.nextInt(600)));
                addBody("invalid-utf8", route, withInvalidUtf8(validBytes));
            }
            List<String> brokenJson = List.of(
                    "", " ", "\n", "{", "}", "[", "{\"a\"", "{\"a\":}", "{,}", "{'name':'x'}", "{name:\"x\"}",
                    "{\"name\":\"x\",}", "[]", "\"just a string\"", "42", "null", "true",
                    valid + "trailing", valid + valid, "/* comment */" + valid, "\uFEFF" + valid,
                    valid.replaceFirst("\\{", "{\"name\":1,\"name\":2,"), "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}",
                    "{\"a\":01}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":0x10}", "{\"a\":\"unterminated}");
            for (int i = 0; i < 10; i++) {
                addBody("malformed-json", route, brokenJson.get(random.nextInt(brokenJson.size())));
            }
            addBody("deep-nesting", route, "[".repeat(2_000 + random.nextInt(50_000)));
            addBody("deep-nesting", route, "{\"a\":".repeat(1_001) + "1" + "}".repeat(1_001));
            addBody("deep-nesting", route, withField(route.validFields(), route.validFields().keySet().iterator().next(),
                    "[".repeat(600) + "]".repeat(600)));
            addBody("huge-body", route, "{\"name\":\"" + "x".repeat(1_100_000) + "\"}");
        }
        // nesting inside the one field that takes any JSON: the message payload
        String msg = "/api/v1/app/" + f.app() + "/msg";
        for (int depth : new int[] {100, 499, 500, 501, 999, 1_000, 1_001, 5_000}) {
            add(HostileRequest.http("deep-nesting", "POST", msg, headers(JSON, f.adminToken()), utf8(
                    "{\"eventType\":\"deep\",\"payload\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}")));
        }
    }

    private void addBody(String family, BodyRoute route, String body) {
        addBody(family, route, utf8(body));
    }

    private void addBody(String family, BodyRoute route, byte[] body) {
        add(HostileRequest.http(family, route.method(), route.path(), headers(JSON, f.adminToken()), body));
    }

    // ---------------------------------------------------------------- query strings

    private void absurdQueryParameters() {
        String app = "/api/v1/app/" + f.app();
        List<String> lists = List.of(
                "/api/v1/app", app + "/endpoint", app + "/msg", "/api/v1/event-type",
                app + "/attempt/endpoint/" + f.endpoint(), app + "/attempt/msg/" + f.message(),
                app + "/msg/" + f.message() + "/endpoint", app + "/endpoint/" + f.endpoint() + "/msg", "/api/v1/auth/token",
                app + "/msg/" + f.message(), app);
        List<String> absurd = new ArrayList<>(List.of(
                "limit=-1", "limit=0", "limit=999999999999", "limit=2147483648", "limit=-2147483649", "limit=abc",
                "limit=1.5", "limit=1e3", "limit=", "limit", "limit=%00", "limit=5&limit=7", "limit=%20%2010",
                "iterator=", "iterator=-", "iterator=--", "iterator=%00", "iterator=%27%20OR%201%3D1--",
                "iterator=" + "z".repeat(6000), "iterator=%FF%FE%FD", "iterator=msg_%00x", "iterator=a&iterator=b",
                "iterator=-%00", "iterator=%C0%AE%C0%AE", "iterator=" + percentEncode(randomBytes(32)),
                "before=notadate", "before=9999-99-99T99:99:99Z", "before=%00", "before=", "before=1e10",
                "before=2024-01-01T00:00:00Z&after=2024-01-01T00:00:00Z", "after=-999999999-01-01T00:00:00Z",
                "after=+1000000000-01-01T00:00:00Z", "before=2024-01-01T00:00:00%2B99:99",
                "order=sideways", "order=", "order=%00", "status=99", "status=-1", "status=abc", "status=1&status=2",
                "status_code_class=7", "status_code_class=abc", "event_types=" + "a,".repeat(3000) + "a",
                "event_types=%00", "event_types=" + "x".repeat(300), "channel=!!!", "channel=%00", "channel=" + "c".repeat(200),
                "with_content=maybe", "with_content=", "get_if_exists=perhaps", "expunge=yes%00",
                "%00=%00", "=", "&&&&", "a[b][c]=1", "limit[]=1", "%ZZ=%ZZ", "a=%", "?=?",
                "x=" + "y".repeat(7000)));
        for (int i = 0; i < 10; i++) {
            absurd.add(percentEncode(randomBytes(8)) + "=" + percentEncode(randomBytes(1 + random.nextInt(64))));
        }
        for (String path : lists) {
            for (int i = 0; i < 10; i++) {
                String query = absurd.get(random.nextInt(absurd.size()));
                add(HostileRequest.http("absurd-query", "GET", path + "?" + query, headers(null, f.adminToken()), null));
            }
        }
    }

    // ---------------------------------------------------------------- paths

    private void pathTraversal() {
        List<String> hostileSegments = List.of(
                "..", ".", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "..%2f", "%2f", "%2F..%2F", "%5c", "..%5c..", "%00",
                "app%00.json", "%ff%fe", "%c0%ae%c0%ae", "%252e%252e", ";", ";jsessionid=1", "..;", "%3b", "%23",
                "%3f", "~", "*", "%20", "%09", "%0d%0aX-Injected:%201", "con", "%u002e", f.app() + "%2f..%2f",
                "app_" + "A".repeat(300), "%E2%80%AE", "%F0%9F%92%A5", "%e0%80%af", "");
        List<String> prefixes = List.of(
                "/api/v1/app/", "/api/v1/app/" + f.app() + "/", "/api/v1/app/" + f.app() + "/msg/",
                "/api/v1/app/" + f.app() + "/endpoint/", "/api/v1/app/" + f.app() + "/attempt/", "/api/v1/event-type/",
                "/api/v1/auth/", "/api/v1/", "/api/", "/", "/actuator/", "//api/v1/app/", "/api//v1//app/", "/API/V1/APP/");
        List<String> destinations = List.of(
                "", "actuator/env", "actuator/health", "actuator/gateway/routes", "api/v1/app", "api/v1/app/" + f.app(),
                f.app(), "etc/passwd", "api/v1/auth/token");
        for (int i = 0; i < 150; i++) {
            var path = new StringBuilder(prefixes.get(random.nextInt(prefixes.size())));
            int segments = 1 + random.nextInt(4);
            for (int s = 0; s < segments; s++) {
                path.append(hostileSegments.get(random.nextInt(hostileSegments.size()))).append('/');
            }
            path.append(destinations.get(random.nextInt(destinations.size())));
            boolean scoped = random.nextInt(3) == 0;
            String method = random.nextInt(4) == 0 ? "DELETE" : "GET";
            if (method.equals("DELETE") && !scoped) {
                // an organisation token may delete what it finds: aim deletes at nothing that exists
                path.append("/app_hostile_missing");
            }
            var request = HostileRequest.http("path-traversal", method, path.toString(),
                    headers(null, scoped ? f.otherAppToken() : f.adminToken()), null);
            add(scoped ? request.forbidding(f.app()) : request);
        }
        // what java.net.URI refuses to carry: raw backslashes, spaces, control bytes, non-ASCII
        List<String> rawTargets = List.of(
                "/api/v1/app\\..\\..\\actuator\\env", "/api/v1/app/" + f.app() + "\\..\\", "/api/v1/app/\u0000",
                "/api/v1/app/a\u0000b/msg", "/api/v1/app/ /msg", "/api/v1/app/\t", "/api/v1/app/\u00ff\u00fe",
                "/api/v1/app/\u00c3\u0028", "/api/v1/app/\u00ed\u00a0\u0080", "/api/v1/app?limit=\u00ff\u00fe",
                "/api/v1/app?iterator=\u0000", "/api/v1/app/{app}", "/api/v1/app/<script>", "/api/v1/app/\"'`|^",
                "api/v1/app", "*", "http://127.0.0.1/api/v1/app", "http://evil.invalid/api/v1/app", "//evil.invalid/api/v1/app",
                "/api/v1/app/" + f.app() + "/../../../../etc/passwd", "/api/v1/app/%", "/api/v1/app/%zz",
                "/api/v1/app/" + f.app() + "/msg?before=\u00ff");
        for (String target : rawTargets) {
            boolean violation = !target.chars().allMatch(c -> c > 0x20 && c < 0x7f);
            add(rawRequest("raw-path", "GET", target, List.of("Authorization: Bearer " + f.adminToken()), null, violation));
            add(rawRequest("raw-path", "GET", target, List.of("Authorization: Bearer " + f.otherAppToken()), null, violation)
                    .forbidding(f.app()));
        }
    }

    /**
     * Every spelling of {@link PathSpellings} of the API's sensitive paths, every run, without a
     * valid token (none, or a well-formed one nobody issued): each must be refused.
     */
    private void unauthenticatedPathSpellings() {
        String ep = "/api/v1/app/" + f.app() + "/endpoint/" + f.endpoint();
        List<String[]> targets = List.of(
                new String[] {"POST", "/api/v1/auth/token", "{\"name\":\"hostile\"}"},
                new String[] {"GET", "/api/v1/auth/token", null},
                new String[] {"POST", "/api/v1/auth/app-portal-access/" + f.app(), "{}"},
                new String[] {"GET", ep + "/secret", null},
                new String[] {"DELETE", ep, null},
                new String[] {"POST", "/api/v1/app/" + f.app() + "/msg", "{\"eventType\":\"a.b\",\"payload\":{}}"},
                new String[] {"GET", "/api/v1/app/" + f.app() + "/attempt/msg/" + f.message(), null},
                new String[] {"GET", "/api/v1/app", null},
                new String[] {"PUT", "/api/v1/event-type/" + f.eventType(), "{\"description\":\"hostile\"}"},
                new String[] {"GET", "/api/v1/health/", null},
                new String[] {"GET", "/api/v1/openapi.json", null});
        for (String[] target : targets) {
            List<String> segments = PathSpellings.segments(target[1]);
            Set<Integer> ids = new java.util.HashSet<>();
            for (int i = 0; i < segments.size(); i++) {
                String segment = segments.get(i);
                if (segment.equals(f.app()) || segment.equals(f.endpoint()) || segment.equals(f.message()) || segment.equals(f.eventType())) {
                    ids.add(i);
                }
            }
            boolean publicRead = target[0].equals("GET") && (target[1].startsWith("/api/v1/health") || target[1].equals("/api/v1/openapi.json"));
            for (PathSpellings.Spelling spelling : PathSpellings.of(segments, ids)) {
                if (spelling.isOriginal() && publicRead) {
                    continue;
                }
                List<String> headers = new ArrayList<>();
                if (random.nextBoolean()) {
                    headers.add("Authorization: Bearer hrsk_" + randomAlphanumeric(43));
                }
                byte[] body = target[2] == null ? null : utf8(target[2]);
                if (body != null) {
                    headers.add("Content-Type: " + JSON);
                }
                add(rawRequest("unauthenticated-spelling", target[0], spelling.target(), headers, body, false).refused());
            }
        }
    }

    private String randomAlphanumeric(int length) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- methods

    private void wrongMethods() {
        String app = "/api/v1/app/" + f.app();
        String ep = app + "/endpoint/" + f.endpoint();
        String msg = app + "/msg/" + f.message();
        List<RouteFamily> families = List.of(
                new RouteFamily("/api/v1/app", Set.of("GET", "POST")),
                new RouteFamily(app, Set.of("GET", "PUT", "PATCH", "DELETE")),
                new RouteFamily(app + "/endpoint", Set.of("GET", "POST")),
                new RouteFamily(ep, Set.of("GET", "PUT", "PATCH", "DELETE")),
                new RouteFamily(ep + "/secret", Set.of("GET")),
                new RouteFamily(ep + "/secret/rotate", Set.of("POST")),
                new RouteFamily(ep + "/headers", Set.of("GET", "PUT", "PATCH")),
                new RouteFamily(ep + "/recover", Set.of("POST")),
                new RouteFamily(ep + "/msg", Set.of("GET")),
                new RouteFamily(app + "/msg", Set.of("GET", "POST")),
                new RouteFamily(msg, Set.of("GET")),
                new RouteFamily(msg + "/content", Set.of("DELETE")),
                new RouteFamily(msg + "/endpoint", Set.of("GET")),
                new RouteFamily(msg + "/endpoint/" + f.endpoint() + "/resend", Set.of("POST")),
                new RouteFamily(msg + "/attempt/atmpt_missing", Set.of("GET")),
                new RouteFamily(msg + "/attempt/atmpt_missing/content", Set.of("DELETE")),
                new RouteFamily(app + "/attempt/msg/" + f.message(), Set.of("GET")),
                new RouteFamily(app + "/attempt/endpoint/" + f.endpoint(), Set.of("GET")),
                new RouteFamily("/api/v1/event-type", Set.of("GET", "POST")),
                new RouteFamily("/api/v1/event-type/" + f.eventType(), Set.of("GET", "PUT", "PATCH", "DELETE")),
                new RouteFamily("/api/v1/auth/token", Set.of("GET", "POST")),
                new RouteFamily("/api/v1/auth/token/tok_missing", Set.of("DELETE")),
                new RouteFamily("/api/v1/auth/app-portal-access/" + f.app(), Set.of("POST")),
                new RouteFamily("/api/v1/auth/logout", Set.of("POST")),
                new RouteFamily("/api/v1/health/", Set.of("GET")));
        List<String> methods = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "FOO", "M-SEARCH");
        for (RouteFamily family : families) {
            for (String method : methods) {
                if (!family.methods().contains(method)) {
                    add(HostileRequest.http("wrong-method", method, family.path(), headers(JSON, f.adminToken()),
                            method.equals("GET") ? null : utf8("{}")));
                }
            }
            add(rawRequest("wrong-method", "CONNECT", family.path(), List.of("Authorization: Bearer " + f.adminToken()), null, false));
            add(rawRequest("wrong-method", "get", family.path(), List.of("Authorization: Bearer " + f.adminToken()), null, true));
        }
    }

    // ---------------------------------------------------------------- content types

    private void wrongContentTypes() {
        List<String> types = new ArrayList<>(List.of(
                "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data",
                "multipart/form-data; boundary=zzz", "application/json; charset=utf-16", "application/json; charset=nonsense",
                "application/json; charset=", "application/json;;;", ";;;", "application/", "/json", "*/*", "json",
                "application/json, text/html", "application/json; charset=utf-8; charset=latin1", "application/octet-stream",
                "application/json\u00e9", "APPLICATION/JSON", "application/json; boundary=\"\"", "text/json"));
        for (BodyRoute route : bodyRoutes()) {
            byte[] valid = utf8(object(route.validFields()));
            for (int i = 0; i < 4; i++) {
                String type = types.get(random.nextInt(types.size()));
                if (type.chars().allMatch(c -> c < 0x80)) {
                    add(HostileRequest.http("content-type", route.method(), route.path(), headers(type, f.adminToken()), valid));
                } else {
                    add(rawRequest("content-type", route.method(), route.path(),
                            List.of("Authorization: Bearer " + f.adminToken(), "Content-Type: " + type), valid, false));
                }
            }
            add(HostileRequest.http("content-type", route.method(), route.path(), headers(null, f.adminToken()), valid));
            add(HostileRequest.http("content-type", route.method(), route.path(),
                    headers("application/x-www-form-urlencoded", f.adminToken()), utf8("name=x&uid=%00&url=http://127.0.0.1")));
        }
    }

    private void bodiesWhereNoneBelong() {
        String app = "/api/v1/app/" + f.app();
        List<String> reads = List.of(
                "/api/v1/app", app, app + "/endpoint", app + "/msg", app + "/msg/" + f.message(), "/api/v1/event-type",
                app + "/attempt/msg/" + f.message(), "/api/v1/health/", "/api/v1/auth/token");
        for (String path : reads) {
            add(HostileRequest.http("body-on-get", "GET", path, headers(JSON, f.adminToken()), utf8("{\"name\":\"x\"}")));
            add(HostileRequest.http("body-on-get", "GET", path, headers(JSON, f.adminToken()), randomBytes(1 + random.nextInt(2000))));
        }
        for (String path : List.of("/api/v1/app/app_hostile_missing", "/api/v1/event-type/hostile.missing",
                app + "/endpoint/ep_hostile_missing", app + "/msg/msg_hostile_missing/content", "/api/v1/auth/token/tok_missing")) {
            add(HostileRequest.http("body-on-delete", "DELETE", path, headers(JSON, f.adminToken()), utf8("{\"confirm\":true}")));
            add(HostileRequest.http("body-on-delete", "DELETE", path, headers("text/plain", f.adminToken()), randomBytes(300)));
        }
    }

    // ---------------------------------------------------------------- tokens

    private void invalidTokens() {
        List<String> authorizations = new ArrayList<>(List.of(
                "", "Bearer", "Bearer ", "Bearer  ", "bearer " + f.adminToken() + "x", "BEARER x", "Basic " + f.adminToken(),
                "Bearer " + f.adminToken().substring(1), "Bearer " + f.adminToken().toUpperCase(), "Bearer " + f.adminToken() + " extra",
                "Bearer " + "a".repeat(512), "Bearer " + "a".repeat(513), "Bearer " + "a".repeat(7000), "Bearer org_",
                "Bearer appsk_", "Bearer org_" + randomAsciiString(40), "Bearer appsk_" + randomAsciiString(40),
                "Bearer " + f.revokedToken(), "Bearer null", "Bearer undefined", "Bearer ' OR 1=1 --", "Bearer %00",
                "Bearer ../../admin", "Bearer \t" + f.adminToken(), "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.",
                "Token " + f.adminToken(), "Bearer=" + f.adminToken(), f.adminToken(), "Bearer\t" + f.adminToken(),
                "Bearer " + f.revokedToken().substring(0, f.revokedToken().length() - 1)));
        for (int i = 0; i < 10; i++) {
            authorizations.add("Bearer " + randomAsciiString(1 + random.nextInt(100)));
        }
        String app = "/api/v1/app/" + f.app();
        List<String[]> targets = List.of(
                new String[] {"GET", "/api/v1/app"}, new String[] {"POST", app + "/msg"}, new String[] {"GET", app},
                new String[] {"POST", "/api/v1/auth/token"}, new String[] {"DELETE", "/api/v1/app/app_hostile_missing"},
                new String[] {"GET", app + "/attempt/msg/" + f.message()});
        for (String authorization : authorizations) {
            String[] target = targets.get(random.nextInt(targets.size()));
            add(HostileRequest.http("invalid-token", target[0], target[1], withAuthorization(JSON, authorization.isEmpty() ? null : authorization),
                    target[0].equals("GET") ? null : utf8("{\"eventType\":\"a\",\"payload\":{}}")));
        }
        // a token scoped to another application, and a read-only one, where they do not reach
        for (String[] target : targets) {
            add(HostileRequest.http("scoped-token", target[0], target[1], headers(JSON, f.otherAppToken()),
                    target[0].equals("GET") ? null : utf8("{\"eventType\":\"a\",\"payload\":{}}")).forbidding(f.app()));
        }
        for (String path : List.of(app, app + "/endpoint", app + "/msg", "/api/v1/event-type", "/api/v1/auth/token")) {
            add(HostileRequest.http("scoped-token", "POST", path, headers(JSON, f.readOnlyToken()), utf8("{\"name\":\"x\"}")));
            add(HostileRequest.http("scoped-token", "DELETE", path, headers(JSON, f.readOnlyToken()), null));
        }
        // what no HTTP client library sends: control characters and line breaks inside the header
        for (String value : List.of("Bearer " + f.adminToken() + "\r\nX-HookRelay-Scope: org", "Bearer \u0000" + f.adminToken(),
                "Bearer " + f.adminToken() + "\u0000", "Bearer \u00ff\u00fe", "Bearer \u00c3\u0028", "Bearer " + f.adminToken() + "\r",
                "Bearer " + f.otherAppToken() + "\r\nAuthorization: Bearer " + f.adminToken())) {
            boolean violation = value.chars().anyMatch(c -> c == 0 || c == '\r' && !value.contains("\r\n"));
            var request = rawRequest("invalid-token", "GET", app, List.of("Authorization: " + value), null, violation);
            add(value.contains(f.otherAppToken()) ? request.forbidding(f.app()) : request);
        }
        add(rawRequest("invalid-token", "GET", app,
                List.of("Authorization: Bearer " + f.otherAppToken(), "Authorization: Bearer " + f.adminToken()), null, false)
                .forbidding(f.app()));
    }

    // ---------------------------------------------------------------- raw HTTP

    private void rawProtocolAbuse() {
        String app = "/api/v1/app/" + f.app();
        String auth = "Authorization: Bearer " + f.adminToken();
        String host = "Host: " + f.host();
        // headers beyond the server's limits (8 KiB for the whole header section by default)
        for (int size : new int[] {9_000, 16_384, 65_536, 300_000}) {
            add(rawRequest("huge-header", "GET", app, List.of(auth, "X-Big: " + "h".repeat(size)), null, true));
        }
        for (int count : new int[] {200, 1_000, 5_000}) {
            var many = new ArrayList<String>(List.of(auth));
            for (int i = 0; i < count; i++) {
                many.add("X-H" + i + ": " + randomAsciiString(20));
            }
            add(rawRequest("huge-header", "GET", app, many, null, true));
        }
        for (int size : new int[] {4_000, 6_000, 7_500, 7_900}) {
            var near = new ArrayList<>(headers(null, f.adminToken()));
            near.add(Map.entry("X-Near-Limit", "n".repeat(size)));
            add(HostileRequest.http("huge-header", "GET", app, near, null));
        }
        for (int size : new int[] {4_000, 6_000, 7_900}) {
            add(HostileRequest.http("long-url", "GET", app + "/msg?iterator=" + "i".repeat(size), headers(null, f.adminToken()), null));
        }
        add(rawRequest("huge-header", "GET", app, List.of("Authorization: Bearer " + "t".repeat(20_000)), null, true));
        add(rawRequest("huge-header", "GET", app, List.of(auth, "Cookie: " + "c=1; ".repeat(3_000)), null, true));
        add(rawRequest("huge-header", "GET", app, List.of(auth, "X-" + "n".repeat(10_000) + ": 1"), null, true));
        // request lines beyond the limit (8 KiB)
        for (int size : new int[] {8_200, 20_000, 100_000, 1_000_000}) {
            add(rawRequest("long-url", "GET", app + "/" + "a".repeat(size), List.of(auth), null, true));
            add(rawRequest("long-url", "GET", "/api/v1/app?limit=1&x=" + "q".repeat(size), List.of(auth), null, true));
        }
        // lengths and encodings that disagree: request smuggling shapes
        String body = "{\"eventType\":\"a.b\",\"payload\":{}}";
        String msg = app + "/msg";
        List<String> smuggling = List.of(
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nGET /actuator/env HTTP/1.1\r\n" + host + "\r\n\r\n",
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nContent-Length: 5\r\nContent-Length: 40\r\nConnection: close\r\n\r\n" + body,
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nContent-Length: -1\r\nConnection: close\r\n\r\n" + body,
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nContent-Length: abc\r\nConnection: close\r\n\r\n" + body,
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nContent-Length: 99999999999999999999\r\nConnection: close\r\n\r\n" + body,
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n",
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n" + body + "\r\n0\r\n\r\n",
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nTransfer-Encoding: xchunked\r\nConnection: close\r\n\r\n" + body,
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\nConnection: close\r\n\r\n0\r\n\r\n",
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nTransfer-Encoding : chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nContent-Length: 10\r\nConnection: close\r\n\r\n{\"a\"",
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nExpect: 100-continue\r\nContent-Length: 50000000\r\nConnection: close\r\n\r\n",
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nExpect: 100-nonsense\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                "POST " + msg + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + Integer.toHexString(body.length()) + ";ext=\"x\"\r\n" + body + "\r\n0\r\nX-Trailer: 1\r\n\r\n");
        for (String request : smuggling) {
            var sent = HostileRequest.raw("smuggling", request, true);
            add(request.contains("Content-Length: 10\r\n") || request.contains("Content-Length: 50000000") ? sent.incompleteRequest() : sent);
        }
        // CR, LF and NUL where HTTP forbids them; header injection attempts
        List<String> broken = List.of(
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nX-Request-Id: a\rX-Injected: 1\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nX-Request-Id: a\u0000b\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\n" + host + "\n" + auth + "\nConnection: close\n\n",
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nX-Folded: a\r\n  folded continuation\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nNoColonHere\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nX Bad Name: 1\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\n: empty name\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nX-Bad\u00ff: 1\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + host + "2\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.0\r\n" + auth + "\r\n\r\n",
                "GET " + app + "\r\n\r\n",
                "GET " + app + " HTTP/9.9\r\n" + host + "\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1 extra\r\n" + host + "\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "GET  " + app + "  HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "GET " + app + "?q=a\r\nX-Injected: 1 HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "G\u0000ET " + app + " HTTP/1.1\r\n" + host + "\r\nConnection: close\r\n\r\n",
                "GET" + "T".repeat(10_000) + " " + app + " HTTP/1.1\r\n" + host + "\r\nConnection: close\r\n\r\n",
                "\r\n\r\n\r\nGET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + randomAsciiString(64),
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nUpgrade: h2c\r\nHTTP2-Settings: !!!not-base64!!!\r\nConnection: Upgrade, HTTP2-Settings, close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\nX-HookRelay-Internal-Token: forged\r\nX-HookRelay-Scope: org\r\nX-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Host: evil.invalid\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\nHost: evil.invalid\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\nHost: " + "h".repeat(5000) + "\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\nHost: 127.0.0.1:99999\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\nHost: [::1\r\n" + auth + "\r\nConnection: close\r\n\r\n",
                "GET " + app + " HTTP/1.1\r\n" + host + "\r\n" + auth + "\r\ntraceparent: 00-" + "f".repeat(32) + "-" + "0".repeat(16) + "-zz\r\nX-Request-Id: \u00ff\u00fe<script>\r\nConnection: close\r\n\r\n");
        for (String request : broken) {
            boolean wellFormed = request.contains("X-HookRelay-Internal-Token") || request.contains("Host: evil.invalid")
                    || request.contains("Upgrade: websocket") || request.contains("HTTP2-Settings")
                    || request.contains("traceparent");
            add(HostileRequest.raw("crlf-and-framing", request, !wellFormed));
        }
        // random bytes as a request, and random bytes after a valid request line
        for (int i = 0; i < 25; i++) {
            add(HostileRequest.raw("random-bytes", randomBytes(1 + random.nextInt(3000)), true).incompleteRequest());
            var prefix = utf8("POST " + msg + " HTTP/1.1\r\n" + host + "\r\n");
            add(HostileRequest.raw("random-bytes", concat(prefix, randomBytes(1 + random.nextInt(2000))), true).incompleteRequest());
        }
    }

    private HostileRequest rawRequest(String family, String method, String target, List<String> headers, byte[] body,
            boolean violation) {
        var head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(f.host()).append("\r\n");
        headers.forEach(header -> head.append(header).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        return HostileRequest.raw(family, body == null ? bytes : concat(bytes, body), violation);
    }

    // ---------------------------------------------------------------- helpers

    private void add(HostileRequest request) {
        requests.add(request);
    }

    private List<Map.Entry<String, String>> headers(String contentType, String token) {
        return withAuthorization(contentType, token == null ? null : "Bearer " + token);
    }

    private List<Map.Entry<String, String>> withAuthorization(String contentType, String authorization) {
        var headers = new ArrayList<Map.Entry<String, String>>();
        if (contentType != null) {
            headers.add(Map.entry("Content-Type", contentType));
        }
        if (authorization != null) {
            headers.add(Map.entry("Authorization", authorization));
        }
        return headers;
    }

    private static Map<String, String> fields(String... namesAndValues) {
        var map = new LinkedHashMap<String, String>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    private static String withField(Map<String, String> fields, String field, String rawValue) {
        var copy = new LinkedHashMap<>(fields);
        copy.put(field, rawValue);
        return object(copy);
    }

    /** A JSON object from raw JSON values, so values can be anything, valid JSON or not. */
    private static String object(Map<String, String> rawValues) {
        var out = new StringBuilder("{");
        rawValues.forEach((name, value) -> out.append(out.length() > 1 ? "," : "").append(str(name)).append(':').append(value));
        return out.append('}').toString();
    }

    private static String str(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private byte[] withInvalidUtf8(byte[] valid) {
        byte[][] sequences = {
            {(byte) 0xc3, (byte) 0x28}, {(byte) 0xff}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
        };
        byte[] bad = sequences[random.nextInt(sequences.length)];
        // inside the first string value, where a decoder has to look at the bytes
        int quote = indexOfNth(valid, (byte) '"', 3);
        int at = quote < 0 ? random.nextInt(valid.length) : quote + 1;
        var out = new ByteArrayOutputStream();
        out.write(valid, 0, at);
        out.writeBytes(bad);
        out.write(valid, at, valid.length - at);
        return out.toByteArray();
    }

    private static int indexOfNth(byte[] bytes, byte b, int n) {
        for (int i = 0, seen = 0; i < bytes.length; i++) {
            if (bytes[i] == b && ++seen == n) {
                return i;
            }
        }
        return -1;
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private String randomAsciiString(int length) {
        var out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) ('!' + random.nextInt(94)));
        }
        return out.toString().replace("\"", "'").replace("\\", "/");
    }

    private static String percentEncode(byte[] bytes) {
        var out = new StringBuilder();
        for (byte b : bytes) {
            out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return out.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
