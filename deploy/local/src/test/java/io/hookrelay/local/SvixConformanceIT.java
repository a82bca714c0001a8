package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.svix.Svix;
import com.svix.SvixOptions;
import com.svix.api.ApplicationCreateOptions;
import com.svix.api.ApplicationListOptions;
import com.svix.api.EndpointGetStatsOptions;
import com.svix.api.EndpointSendExampleOptions;
import com.svix.api.EventTypeDeleteOptions;
import com.svix.api.EventTypeListOptions;
import com.svix.api.MessageCreateOptions;
import com.svix.api.MessageListOptions;
import com.svix.exceptions.ApiException;
import com.svix.models.ApplicationIn;
import com.svix.models.ApplicationPatch;
import com.svix.models.EndpointHeadersIn;
import com.svix.models.EndpointHeadersPatchIn;
import com.svix.models.EndpointIn;
import com.svix.models.EndpointPatch;
import com.svix.models.EndpointSecretRotateIn;
import com.svix.models.EndpointUpdate;
import com.svix.models.EventExampleIn;
import com.svix.models.EventTypeIn;
import com.svix.models.EventTypePatch;
import com.svix.models.EventTypeUpdate;
import com.svix.models.MessageIn;
import com.svix.models.Ordering;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Svix API (applications, endpoints, event types, messages, attempts, send-example, endpoint
 * stats) driven through the gateway with the official Svix Java SDK against the whole platform;
 * the message path (application, event type, endpoint, message, read back, attempts, signature)
 * with the official {@code svix} npm SDK, run by node from {@code src/test/node} (the build
 * installs it with npm ci); and our API document compared with Svix's.
 */
@ExtendWith(SharedPlatform.Extension.class)
class SvixConformanceIT {

    static final String TOKEN = SharedPlatform.ADMIN_TOKEN;

    static String gateway;
    static Svix svix;
    static int port;

    @BeforeAll
    static void connect(SharedPlatform platform) {
        port = platform.gatewayPort();
        gateway = platform.gateway();
        var options = new SvixOptions();
        options.setServerUrl(gateway);
        svix = new Svix(TOKEN, options);
    }

    @Test
    void applicationsCanBeCreatedIdempotentlyUpdatedPatchedListedAndDeleted() throws Exception {
        var idempotent = new ApplicationCreateOptions();
        idempotent.setIdempotencyKey("conformance-" + UUID.randomUUID());
        String uid = "conf-" + UUID.randomUUID();

        var created = svix.getApplication().create(new ApplicationIn().name("Conformance").uid(uid), idempotent);
        var retried = svix.getApplication().create(new ApplicationIn().name("Conformance").uid(uid), idempotent);
        var updated = svix.getApplication().update(uid, new ApplicationIn().name("Updated").uid(uid));
        var patched = svix.getApplication().patch(uid, new ApplicationPatch().metadata(Map.of("tier", "gold")));
        var listOptions = new ApplicationListOptions();
        listOptions.setLimit(250L);
        listOptions.setOrder(Ordering.DESCENDING);
        var listed = svix.getApplication().list(listOptions);
        svix.getApplication().delete(uid);

        assertThat(retried.getId()).isEqualTo(created.getId());
        assertThat(updated.getName()).isEqualTo("Updated");
        assertThat(patched.getName()).isEqualTo("Updated");
        assertThat(patched.getMetadata()).containsEntry("tier", "gold");
        assertThat(listed.getData()).extracting(app -> app.getId()).contains(created.getId());
        assertThat(listed.getPrevIterator()).startsWith("-");
        assertThatThrownBy(() -> svix.getApplication().get(uid))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void endpointsCanBeUpdatedPatchedGivenHeadersRotatedAndDeleted() throws Exception {
        String app = svix.getApplication().create(new ApplicationIn().name("Endpoints")).getId();
        var endpoint = svix.getEndpoint().create(app, new EndpointIn().url(URI.create("https://example.com/a")).uid("main"));
        String secret = svix.getEndpoint().getSecret(app, "main").getKey();

        var updated = svix.getEndpoint().update(app, "main",
                new EndpointUpdate().url(URI.create("https://example.com/b")).uid("main"));
        var patched = svix.getEndpoint().patch(app, "main", new EndpointPatch().filterTypes(Set.of("invoice.paid")));
        svix.getEndpoint().updateHeaders(app, "main", new EndpointHeadersIn().headers(Map.of("X-Tenant", "acme", "X-Gone", "1")));
        svix.getEndpoint().patchHeaders(app, "main", new EndpointHeadersPatchIn()
                .headers(Map.of("X-Region", "eu")).deleteHeaders(java.util.List.of("X-Gone")));
        var headers = svix.getEndpoint().getHeaders(app, "main");
        svix.getEndpoint().rotateSecret(app, "main", new EndpointSecretRotateIn());
        String rotated = svix.getEndpoint().getSecret(app, "main").getKey();
        var listed = svix.getEndpoint().list(app);
        svix.getEndpoint().delete(app, "main");

        assertThat(updated.getId()).isEqualTo(endpoint.getId());
        assertThat(updated.getUrl()).hasToString("https://example.com/b");
        assertThat(patched.getFilterTypes()).containsExactly("invoice.paid");
        assertThat(headers.getHeaders()).containsOnly(Map.entry("X-Tenant", "acme"), Map.entry("X-Region", "eu"));
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(listed.getData()).extracting(ep -> ep.getId()).containsExactly(endpoint.getId());
        assertThatThrownBy(() -> svix.getEndpoint().get(app, "main"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        assertThatThrownBy(() -> svix.getEndpoint().updateHeaders(app, endpoint.getId(),
                        new EndpointHeadersIn().headers(Map.of("webhook-id", "x"))))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void eventTypesCanBeCreatedUpdatedPatchedListedArchivedAndExpunged() throws Exception {
        String name = "conformance." + UUID.randomUUID().toString().substring(0, 8);
        var schemas = Map.of("1", Map.of("type", "object"));

        var created = svix.getEventType().create(new EventTypeIn().name(name).description("first").schemas(schemas));
        var updated = svix.getEventType().update(name, new EventTypeUpdate().description("second").schemas(schemas));
        var patched = svix.getEventType().patch(name, new EventTypePatch().deprecated(true));
        var listOptions = new EventTypeListOptions();
        listOptions.setLimit(250L);
        listOptions.setWithContent(true);
        var listed = svix.getEventType().list(listOptions);
        svix.getEventType().delete(name);
        var archived = svix.getEventType().get(name);
        var expunge = new EventTypeDeleteOptions();
        expunge.setExpunge(true);
        svix.getEventType().delete(name, expunge);

        assertThat(created.getArchived()).isFalse();
        assertThat(updated.getDescription()).isEqualTo("second");
        assertThat(patched.getDeprecated()).isTrue();
        assertThat(patched.getSchemas()).isNotNull();
        assertThat(listed.getData()).extracting(type -> type.getName()).contains(name);
        assertThat(archived.getArchived()).isTrue();
        assertThatThrownBy(() -> svix.getEventType().get(name))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void messagesAreDeduplicatedListedFetchedAndExpunged() throws Exception {
        String app = svix.getApplication().create(new ApplicationIn().name("Messages")).getId();
        var idempotent = new MessageCreateOptions();
        idempotent.setIdempotencyKey("conformance-" + UUID.randomUUID());

        var first = svix.getMessage().create(app,
                new MessageIn().eventType("invoice.paid").eventId("evt-1").payload("{\"n\":1}"));
        var sameEventId = svix.getMessage().create(app,
                new MessageIn().eventType("invoice.paid").eventId("evt-1").payload("{\"n\":2}"));
        var keyed = svix.getMessage().create(app, new MessageIn().eventType("user.created").payload("{\"n\":3}"), idempotent);
        var sameKey = svix.getMessage().create(app, new MessageIn().eventType("user.created").payload("{\"n\":3}"), idempotent);
        var filter = new MessageListOptions();
        filter.setEventTypes(Set.of("invoice.paid"));
        var listed = svix.getMessage().list(app, filter);
        var all = svix.getMessage().list(app);
        svix.getMessage().expungeContent(app, first.getId());
        var expunged = svix.getMessage().get(app, "evt-1");

        assertThat(sameEventId.getId()).isEqualTo(first.getId());
        assertThat(sameKey.getId()).isEqualTo(keyed.getId());
        assertThat(listed.getData()).extracting(m -> m.getId()).containsExactly(first.getId());
        assertThat(all.getData()).extracting(m -> m.getId()).containsExactlyInAnyOrder(first.getId(), keyed.getId());
        assertThat(expunged.getId()).isEqualTo(first.getId());
        assertThat(expunged.getPayload()).isInstanceOfSatisfying(Map.class, payload -> assertThat(payload).isEmpty());
    }

    @Test
    void aMessageCreatesTheApplicationItNamesWhenThereIsNone() throws Exception {
        String uid = "created-by-message-" + UUID.randomUUID();

        var message = svix.getMessage().create(uid, new MessageIn().eventType("user.created").payload("{\"n\":1}")
                .application(new ApplicationIn().name("Created by a message").uid(uid)));
        var application = svix.getApplication().get(uid);

        assertThat(application.getName()).isEqualTo("Created by a message");
        assertThat(application.getId()).startsWith("app_");
        assertThat(svix.getMessage().get(application.getId(), message.getId()).getEventType()).isEqualTo("user.created");
        assertThatThrownBy(() -> svix.getMessage().create("no-such-" + uid,
                        new MessageIn().eventType("user.created").payload("{}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    /**
     * Every operation of Svix's document (all 41; the test fails if the reference has one more).
     * Those another change is adding are in {@link #PENDING} until they land.
     */
    static final List<String> OPERATIONS = List.of(
            // applications
            "GET /api/v1/app",
            "POST /api/v1/app",
            "GET /api/v1/app/{app_id}",
            "PUT /api/v1/app/{app_id}",
            "PATCH /api/v1/app/{app_id}",
            "DELETE /api/v1/app/{app_id}",
            // endpoints
            "GET /api/v1/app/{app_id}/endpoint",
            "POST /api/v1/app/{app_id}/endpoint",
            "GET /api/v1/app/{app_id}/endpoint/{endpoint_id}",
            "PUT /api/v1/app/{app_id}/endpoint/{endpoint_id}",
            "PATCH /api/v1/app/{app_id}/endpoint/{endpoint_id}",
            "DELETE /api/v1/app/{app_id}/endpoint/{endpoint_id}",
            "GET /api/v1/app/{app_id}/endpoint/{endpoint_id}/headers",
            "PUT /api/v1/app/{app_id}/endpoint/{endpoint_id}/headers",
            "PATCH /api/v1/app/{app_id}/endpoint/{endpoint_id}/headers",
            "GET /api/v1/app/{app_id}/endpoint/{endpoint_id}/secret",
            "POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/secret/rotate",
            "GET /api/v1/app/{app_id}/endpoint/{endpoint_id}/stats",
            "POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/recover",
            "POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/send-example",
            "GET /api/v1/app/{app_id}/endpoint/{endpoint_id}/msg",
            // event types
            "GET /api/v1/event-type",
            "POST /api/v1/event-type",
            "GET /api/v1/event-type/{event_type_name}",
            "PUT /api/v1/event-type/{event_type_name}",
            "PATCH /api/v1/event-type/{event_type_name}",
            "DELETE /api/v1/event-type/{event_type_name}",
            // messages
            "GET /api/v1/app/{app_id}/msg",
            "POST /api/v1/app/{app_id}/msg",
            "GET /api/v1/app/{app_id}/msg/{msg_id}",
            "DELETE /api/v1/app/{app_id}/msg/{msg_id}/content",
            // attempts
            "GET /api/v1/app/{app_id}/attempt/msg/{msg_id}",
            "GET /api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}",
            "GET /api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}",
            "DELETE /api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/content",
            "GET /api/v1/app/{app_id}/msg/{msg_id}/endpoint",
            "POST /api/v1/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend",
            // authentication (answered by the gateway itself)
            "POST /api/v1/auth/app-portal-access/{app_id}",
            "POST /api/v1/auth/logout",
            // health
            "GET /api/v1/health",
            "GET /api/v1/health/ping");

    /**
     * Operations we add to Svix's API, under its conventions: the organisation's own tokens, its
     * view of application tokens, and the document itself. Our document has exactly these and
     * {@link #OPERATIONS}.
     */
    static final Set<String> OUR_OWN = Set.of(
            "GET /api/v1/auth/token",
            "POST /api/v1/auth/token",
            "DELETE /api/v1/auth/token/{token_id}",
            "GET /api/v1/auth/app-token",
            "DELETE /api/v1/auth/app-token/{token_id}",
            "GET /api/v1/openapi.json");

    /** Operations still being built; the test fails while one is listed here and present. */
    static final Set<String> PENDING = Set.of();

    /** Known, deliberate differences from Svix's document, each with its reason. */
    static final Map<String, String> ALLOWED = Map.ofEntries(
            Map.entry("schema EndpointOut: property 'filterTypes' not in the reference",
                    "current Svix SDKs read filterTypes for eventTypes (PRODUCT.md); we answer both"),
            Map.entry("schema EndpointOut: property 'version' not in the reference",
                    "older Svix SDKs and servers carry an endpoint version; we keep accepting and echoing it"),
            Map.entry("schema EndpointIn: property 'version' not in the reference",
                    "older Svix SDKs and servers carry an endpoint version; we keep accepting and echoing it"),
            Map.entry("schema EndpointUpdate: property 'version' not in the reference",
                    "older Svix SDKs and servers carry an endpoint version; we keep accepting and echoing it"),
            Map.entry("schema EndpointPatch: property 'version' not in the reference",
                    "older Svix SDKs and servers carry an endpoint version; we keep accepting and echoing it"),
            Map.entry("schema EndpointHeadersPatchIn: property 'deleteHeaders' not in the reference",
                    "current Svix SDKs send the headers to remove in deleteHeaders"),
            Map.entry("schema EndpointHeadersPatchIn: property 'headers' optional, reference required",
                    "a patch that only deletes headers (deleteHeaders) needs no headers"),
            Map.entry("schema EventExampleIn: property 'exampleIndex' not in the reference",
                    "current Svix SDKs send exampleIndex to pick one of the event type's examples; we honour it"),
            Map.entry("schema MessageIn: property 'transformationsParams' not in the reference",
                    "current Svix SDKs send the payload text in transformationsParams.rawPayload; delivered byte for byte"),
            Map.entry("DELETE /api/v1/app/{app_id}/msg/{msg_id}/content: success statuses [204], reference []",
                    "the reference lists no success response; the Svix server answers 204 and so do we"),
            Map.entry("DELETE /api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/content: success statuses [204], reference []",
                    "the reference lists no success response; the Svix server answers 204 and so do we"),
            Map.entry("POST /api/v1/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend: 202 body (inline), reference EmptyResponse",
                    "the same empty object {}, left unnamed"),
            Map.entry("GET /api/v1/health: success statuses [200], reference [204]",
                    "our health aggregates every service's readiness: 200 with the parts, 503 naming the one that is down"),
            Map.entry("POST /api/v1/auth/app-portal-access/{app_id}: header parameter 'idempotency-key' missing",
                    "the gateway's own POSTs do not replay by key: a repeated app-portal-access issues another"
                            + " short-lived token, a repeated logout finds its token already revoked; the header is accepted and ignored"),
            Map.entry("POST /api/v1/auth/logout: header parameter 'idempotency-key' missing",
                    "the gateway's own POSTs do not replay by key: a repeated logout finds its token already revoked"),
            Map.entry("schema AppPortalAccessIn: property 'expiry' not in the reference",
                    "Svix's hosted API takes the token's lifetime in expiry (seconds); so do we"),
            Map.entry("schema AppPortalAccessIn: property 'readOnly' not in the reference",
                    "Svix's hosted API issues read-only application tokens with readOnly; so do we"));

    /**
     * Real differences not fixed yet; each goes when the API is fixed (the test fails while one is
     * listed here and no longer occurs).
     */
    static final Map<String, String> KNOWN_GAPS = Map.of();

    @Test
    void ourApiDocumentMatchesSvixForEveryOperationOfTheReference() throws Exception {
        var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        var request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/openapi.json")).build();
        var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        // each service generates its part at the first request (ADR 0007); on a busy machine that can take
        // longer than the gateway waits, and the gateway answers 503 with Retry-After until it has both parts
        for (long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
                response.statusCode() == 503 && System.nanoTime() < deadline; ) {
            Thread.sleep(1000);
            response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        }
        var json = tools.jackson.databind.json.JsonMapper.shared();
        var reference = json.readTree(SvixConformanceIT.class.getResourceAsStream("/svix-server-openapi.json"));
        var ours = json.readTree(response.body());
        var comparison = new ApiDocumentComparison(reference, ours);

        var landed = new java.util.ArrayList<String>();
        for (String operation : OPERATIONS) {
            String[] methodAndPath = operation.split(" ", 2);
            if (PENDING.contains(operation)) {
                if (comparison.hasOperation(methodAndPath[0], methodAndPath[1])) {
                    landed.add(operation);
                }
                continue;
            }
            comparison.compareOperation(methodAndPath[0], methodAndPath[1]);
        }
        var referenceOperations = operations(reference);
        var ourOperations = operations(ours);
        var expected = new java.util.TreeSet<>(OPERATIONS);
        expected.addAll(OUR_OWN);
        var known = new java.util.HashMap<>(ALLOWED);
        known.putAll(KNOWN_GAPS);
        var unexpected = comparison.differences().stream().filter(d -> !known.containsKey(d)).toList();
        var stale = known.keySet().stream().filter(d -> !comparison.differences().contains(d)).sorted().toList();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new java.util.TreeSet<>(OPERATIONS)).as("every operation of the reference").isEqualTo(referenceOperations);
        assertThat(ourOperations).as("the operations our document lists").isEqualTo(expected);
        assertThat(landed).as("operations that landed: take them off PENDING").isEmpty();
        assertThat(unexpected).as("differences from Svix's document:%n  %s%n", String.join(System.lineSeparator() + "  ", unexpected)).isEmpty();
        assertThat(stale).as("known differences that no longer occur: take them off ALLOWED or KNOWN_GAPS").isEmpty();
    }

    /** "METHOD path" of every operation in a document. */
    private static java.util.SortedSet<String> operations(tools.jackson.databind.JsonNode document) {
        var operations = new java.util.TreeSet<String>();
        document.path("paths").properties().forEach(path -> path.getValue().propertyNames().forEach(method -> {
            if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                operations.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    @Test
    void sendExampleReachesOnlyThatEndpointAndItsStatsCountTheDelivery() throws Exception {
        try (var bystander = new Receiver(); var target = new Receiver()) {
            String app = svix.getApplication().create(new ApplicationIn().name("Send example")).getId();
            String eventType = "example." + UUID.randomUUID().toString().substring(0, 8);
            svix.getEventType().create(new EventTypeIn().name(eventType).description("has an example")
                    .schemas(Map.of("1", Map.of("type", "object", "examples", List.of(Map.of("invoiceId", "inv_1"))))));
            svix.getEndpoint().create(app, new EndpointIn().url(URI.create(bystander.url())));
            String endpoint = svix.getEndpoint().create(app, new EndpointIn().url(URI.create(target.url())).uid("target"))
                    .getId();
            var idempotent = new EndpointSendExampleOptions();
            idempotent.setIdempotencyKey("conformance-" + UUID.randomUUID());

            var sent = svix.getEndpoint().sendExample(app, "target", new EventExampleIn().eventType(eventType), idempotent);
            var retried = svix.getEndpoint().sendExample(app, "target", new EventExampleIn().eventType(eventType), idempotent);
            var destinations = await().atMost(Duration.ofSeconds(30)).until(
                    () -> svix.getMessageAttempt().listAttemptedDestinations(app, sent.getId()).getData(),
                    list -> !list.isEmpty() && list.getFirst().getStatus() == com.svix.models.MessageStatus.SUCCESS);
            var stats = svix.getEndpoint().getStats(app, "target");
            var window = new EndpointGetStatsOptions();
            window.setSince(OffsetDateTime.now().minusDays(3));
            window.setUntil(OffsetDateTime.now().minusDays(2));
            var earlier = svix.getEndpoint().getStats(app, endpoint, window);

            assertThat(retried.getId()).isEqualTo(sent.getId());
            assertThat(sent.getEventType()).isEqualTo(eventType);
            assertThat(sent.getPayload()).isEqualTo(Map.of("invoiceId", "inv_1"));
            assertThat(destinations).extracting(d -> d.getId()).containsExactly(endpoint);
            assertThat(target.received).extracting(Receiver.Webhook::body).containsExactly("{\"invoiceId\":\"inv_1\"}");
            assertThat(bystander.received).isEmpty();
            assertThat(List.of(stats.getSuccess(), stats.getPending(), stats.getSending(), stats.getFail(), stats.getCanceled()))
                    .containsExactly(1L, 0L, 0L, 0L, 0L);
            assertThat(earlier.getSuccess()).isZero();
            assertThatThrownBy(() -> svix.getEndpoint().sendExample(app, "target", new EventExampleIn().eventType("no.such.type")))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
            assertThatThrownBy(() -> svix.getEndpoint().getStats(app, "ep_missing"))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        }
    }

    @Test
    void theSvixNpmSdkSendsAMessageReadsItBackListsItsAttemptAndVerifiesTheWebhook() throws Exception {
        Path scripts = Path.of("src/test/node").toAbsolutePath();
        var command = new ProcessBuilder("node", "message-path.mjs").directory(scripts.toFile()).redirectErrorStream(true);
        command.environment().put("HOOKRELAY_URL", gateway);
        command.environment().put("HOOKRELAY_TOKEN", TOKEN);

        Process node = command.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try (var stream = node.getInputStream()) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean finished = node.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            node.toHandle().destroyForcibly();
        }
        String printed = output.get(10, TimeUnit.SECONDS);

        assertThat(finished).as("node finished within 120 s:%n%s", printed).isTrue();
        assertThat(node.exitValue()).as(printed).isZero();
        assertThat(printed).contains(
                "ok application.create",
                "ok eventType.create",
                "ok endpoint.create, endpoint.getSecret",
                "ok message.create (eventId, idempotency-key: repeats answer the original)",
                "ok message.get (by id and by eventId)",
                "ok message.list (eventTypes, after, before filters)",
                "ok Webhook.verify accepts the delivered webhook (and refuses a changed body)",
                "ok messageAttempt.listByMsg (with status filters)",
                "svix-js message path: all checks passed");
    }
}
