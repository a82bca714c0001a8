package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.infra.ChildProcess;
import io.hookrelay.infra.KafkaBroker;
import io.hookrelay.infra.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For tests that start ingest-service and delivery-service one by one (no gateway) on their own
 * PostgreSQL and Kafka: starting a service and waiting for its health, and calling the services'
 * API directly with the internal token and organisation scope the gateway would add.
 */
final class InternalApi {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String internalToken;

    InternalApi(String internalToken) {
        this.internalToken = internalToken;
    }

    /**
     * The arguments every service needs on this PostgreSQL (its database {@code hookrelay}) and
     * Kafka: the internal token, and the encryption key kept in {@code data}.
     */
    List<String> serviceArguments(PostgresServer postgres, KafkaBroker kafka, Path data) {
        return List.of(
                "--hookrelay.database.port=" + postgres.port(),
                "--hookrelay.database.name=hookrelay",
                "--hookrelay.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--hookrelay.internal-token=" + internalToken,
                "--hookrelay.secrets.encryption-key=" + LocalSettings.secretsKey(data));
    }

    /** Starts {@code service} on {@code port} with {@code common} then {@code extra} arguments; returns once healthy. */
    static ChildProcess startHealthy(
            ServiceLauncher launcher, String service, int port, List<String> common, List<String> extra) {
        var args = new ArrayList<>(common);
        args.addAll(extra);
        args.add("--server.port=" + port);
        ChildProcess process = launcher.start(service, args);
        launcher.awaitHealthy(process, URI.create("http://127.0.0.1:" + port + "/actuator/health"));
        return process;
    }

    /** The first {@code "id"} in {@code body} that starts with {@code prefix}. */
    static String id(String body, String prefix) {
        Matcher m = Pattern.compile("\"id\":\"(" + Pattern.quote(prefix) + "[^\"]+)\"").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    /** POSTs JSON and asserts a 2xx; returns the body. */
    String post(String url, String body) {
        var response = send(request(url).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return response.body();
    }

    /** GETs and asserts a 200; returns the body. */
    String get(String url) {
        var response = send(request(url).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /**
     * Sends {@code count} messages of {@code eventType} to application {@code app} from 16 senders;
     * returns the ids of those accepted (202). Other answers are not retried: the caller compares.
     */
    List<String> sendMessages(String ingestUrl, String app, String eventType, int count) {
        var ids = new ConcurrentHashMap<Integer, String>();
        var next = new AtomicInteger();
        try (var senders = Executors.newFixedThreadPool(16)) {
            for (int sender = 0; sender < 16; sender++) {
                senders.submit(() -> {
                    for (int n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
                        var response = send(request(ingestUrl + "/api/v1/app/" + app + "/msg")
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"eventType\":\"" + eventType + "\",\"payload\":{\"n\":" + n + "}}"))
                                .build());
                        if (response.statusCode() == 202) {
                            ids.put(n, id(response.body(), "msg_"));
                        }
                    }
                    return null;
                });
            }
        }
        return List.copyOf(ids.values());
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("X-HookRelay-Internal-Token", internalToken)
                .header("X-HookRelay-Scope", "org");
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
