package io.hookrelay.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The few API calls that set a scenario up, exactly as a customer would make them. */
final class PlatformApi {

    /** An application with its endpoints and their signing secrets, in endpoint-index order. */
    record Setup(String applicationId, List<String> endpointIds, List<String> secrets) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI gateway;
    private final String token;
    // HTTP/1.1: the JDK client would otherwise ask for an h2c upgrade, which Netty refuses (413) on a request with a body
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    PlatformApi(URI gateway, String token) {
        this.gateway = gateway;
        this.token = token;
    }

    Setup createApplication(String uid, String receiverUrl, String scenario, int endpoints) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            urls.add(receiverUrl + Receiver.endpointPath(scenario, i));
        }
        return createApplication(uid, scenario, urls);
    }

    /** An application named after {@code scenario} with one endpoint per URL, in that order. */
    Setup createApplication(String uid, String scenario, List<String> endpointUrls) {
        String appId = post("/api/v1/app", JSON.createObjectNode().put("name", "bench " + scenario).put("uid", uid))
                .path("id").asString();
        List<String> ids = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < endpointUrls.size(); i++) {
            var endpoint = JSON.createObjectNode()
                    .put("url", endpointUrls.get(i))
                    .put("description", "bench " + scenario + " " + i);
            String id = post("/api/v1/app/" + appId + "/endpoint", endpoint).path("id").asString();
            ids.add(id);
            secrets.add(get("/api/v1/app/" + appId + "/endpoint/" + id + "/secret").path("key").asString());
        }
        return new Setup(appId, ids, secrets);
    }

    private JsonNode post(String path, JsonNode body) {
        return call(HttpRequest.newBuilder(gateway.resolve(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private JsonNode get(String path) {
        return call(HttpRequest.newBuilder(gateway.resolve(path)).GET());
    }

    /** A GET whose 404 is an answer (empty), not a failure. */
    Optional<JsonNode> find(String path) {
        return Optional.ofNullable(call(HttpRequest.newBuilder(gateway.resolve(path)).GET(), true));
    }

    private JsonNode call(HttpRequest.Builder request) {
        return call(request, false);
    }

    private JsonNode call(HttpRequest.Builder request, boolean notFoundIsNull) {
        HttpRequest built = request.header("authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            if (notFoundIsNull && response.statusCode() == 404) {
                return null;
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(built.method() + " " + built.uri().getPath() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(built.method() + " " + built.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
