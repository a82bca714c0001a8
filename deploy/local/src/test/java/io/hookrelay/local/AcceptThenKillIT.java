package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrelay.events.MessageAccepted;
import io.hookrelay.events.MessageRecords;
import io.hookrelay.infra.ChildProcess;
import io.hookrelay.infra.Ports;
import io.hookrelay.infra.SharedInfrastructure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "202 means durable", proven on whole processes: ingest-service runs as its own JVM against the
 * shared real PostgreSQL and Kafka, answers 202, is killed with SIGKILL before it could publish,
 * and a new ingest-service publishes every accepted message to {@code hookrelay.messages.v1}
 * with the same id and payload. Prints what it counted.
 */
class AcceptThenKillIT {

    static final String TOPIC = "hookrelay.messages.v1";
    static final String INTERNAL_TOKEN = "accept-kill-it";
    /** ingest's {@code hookrelay.outbox.batch-size}: the most one relay can have sent but not yet committed. */
    static final int RELAY_BATCH = 500;

    final SharedInfrastructure infra = SharedInfrastructure.get();
    /** Under target/ rather than a temporary directory, so the services' logs outlive a failure. */
    final Path data = Path.of("target", "accept-kill-it", Long.toString(System.currentTimeMillis())).toAbsolutePath();
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    final ObjectMapper json = new ObjectMapper();
    final List<ChildProcess> started = new ArrayList<>();
    final Map<ChildProcess, Integer> ports = new ConcurrentHashMap<>();
    ServiceLauncher launcher;

    @AfterEach
    void stopIngest() {
        started.forEach(process -> process.stop(Duration.ofSeconds(20)));
    }

    @Test
    void everyMessageAcceptedWhileKafkaWasUnreachableIsPublishedExactlyOnceAfterAHardKill() throws Exception {
        int count = 300;
        String app = "kill-unreachable-" + UUID.randomUUID();
        Map<String, String> accepted;
        String healthWithoutKafka;
        long inOutboxAtKill;
        try (Socket unreachable = boundButNotListening()) {
            String bootstrap = "127.0.0.1:" + unreachable.getLocalPort();
            ChildProcess first = startIngest(bootstrap);
            String ingest = urlOf(first);
            healthWithoutKafka = get(ingest + "/actuator/health");
            createApplication(ingest, app);

            accepted = send(ingest, app, count, n -> true);
            inOutboxAtKill = inOutbox(app);
            kill(first);
        }
        ChildProcess second = startIngest(infra.kafka().bootstrapServers());
        awaitOutboxEmpty(app);
        Published published = readTopic(app);

        report("Kafka unreachable", accepted.size(), inOutboxAtKill, published);
        assertThat(json.readTree(healthWithoutKafka).at("/components/kafka/status").asText()).isEqualTo("DOWN");
        assertThat(accepted).hasSize(count);
        assertThat(inOutboxAtKill).isEqualTo(count);
        assertThat(published.payloads()).isEqualTo(accepted);
        assertThat(published.duplicates()).isZero();
        assertThat(second.isAlive()).isTrue();
    }

    @Test
    void messagesAcceptedJustBeforeAHardKillWithKafkaUpArePublishedAfterRestart() throws Exception {
        int count = 3000;
        String app = "kill-burst-" + UUID.randomUUID();
        ChildProcess first = startIngest(infra.kafka().bootstrapServers());
        String ingest = urlOf(first);
        createApplication(ingest, app);
        var acceptedSoFar = new AtomicInteger();

        Map<String, String> accepted = send(ingest, app, count, n -> {
            if (acceptedSoFar.incrementAndGet() == count * 2 / 3) {
                kill(first);
            }
            return first.isAlive();
        });
        long inOutboxAtKill = inOutbox(app);
        startIngest(infra.kafka().bootstrapServers());
        awaitOutboxEmpty(app);
        Published published = readTopic(app);

        report("Kafka up, killed mid-burst", accepted.size(), inOutboxAtKill, published);
        assertThat(accepted.size()).isGreaterThanOrEqualTo(count * 2 / 3);
        assertThat(published.payloads()).containsAllEntriesOf(accepted);
        assertThat(published.duplicates()).isLessThanOrEqualTo(RELAY_BATCH);
    }

    /** A loopback port that is taken (nobody else can listen there) but refuses every connection. */
    private static Socket boundButNotListening() throws IOException {
        var socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }

    private ChildProcess startIngest(String kafkaBootstrap) throws IOException {
        Files.createDirectories(data);
        if (launcher == null) {
            launcher = new ServiceLauncher(WebhookEndToEndIT.REPOSITORY, data);
        }
        int port = Ports.freePort();
        var process = launcher.start("ingest-service", List.of(
                "--server.port=" + port,
                "--hookrelay.database.host=" + infra.postgres().host(),
                "--hookrelay.database.port=" + infra.postgres().port(),
                "--hookrelay.database.name=" + SharedInfrastructure.DATABASE,
                "--hookrelay.kafka.bootstrap-servers=" + kafkaBootstrap,
                "--hookrelay.internal-token=" + INTERNAL_TOKEN,
                "--hookrelay.secrets.encryption-key=" + LocalSettings.secretsKey(data)));
        started.add(process);
        ports.put(process, port);
        // Liveness, not health: without Kafka, health is DOWN while the API serves.
        launcher.awaitHealthy(process, URI.create(urlOf(process) + "/actuator/health/liveness"));
        return process;
    }

    private String urlOf(ChildProcess process) {
        return "http://127.0.0.1:" + ports.get(process);
    }

    /** SIGKILL: no shutdown hook, no graceful drain, no last relay run. */
    private static void kill(ChildProcess process) {
        process.process().destroyForcibly();
        try {
            process.process().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends messages {@code 0..count-1} from 8 senders, each with an eventId and a payload of its
     * own; returns id → payload of those answered 202. {@code afterAccept} is told of each 202 and
     * says whether to go on.
     */
    private Map<String, String> send(String ingest, String app, int count, IntPredicate afterAccept) {
        var accepted = new ConcurrentHashMap<String, String>();
        var next = new AtomicInteger();
        try (var senders = Executors.newFixedThreadPool(8)) {
            for (int sender = 0; sender < 8; sender++) {
                senders.submit(() -> {
                    for (int n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
                        String payload = "{\"n\":" + n + ",\"note\":\"accepted \\\"before\\\" the kill\"}";
                        String body = "{\"eventType\":\"kill.test\",\"eventId\":\"evt-" + n + "\",\"payload\":"
                                + payload + "}";
                        HttpResponse<String> response;
                        try {
                            response = http.send(request(ingest + "/api/v1/app/" + app + "/msg")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                        } catch (IOException killed) {
                            return null;
                        }
                        if (response.statusCode() == 202) {
                            accepted.put(json.readTree(response.body()).get("id").asText(), payload);
                            if (!afterAccept.test(n)) {
                                return null;
                            }
                        }
                    }
                    return null;
                });
            }
        }
        return Map.copyOf(accepted);
    }

    private void createApplication(String ingest, String uid) throws Exception {
        var response = http.send(request(ingest + "/api/v1/app")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + uid + "\",\"uid\":\"" + uid + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private String get(String url) throws Exception {
        return http.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("X-HookRelay-Internal-Token", INTERNAL_TOKEN)
                .header("X-HookRelay-Scope", "org");
    }

    /** Outbox rows of the application's messages: those not yet acknowledged by Kafka. */
    private long inOutbox(String appUid) throws Exception {
        try (var connection = DriverManager.getConnection(
                        infra.postgres().jdbcUrl(SharedInfrastructure.DATABASE), "postgres", "");
                var statement = connection.prepareStatement("select count(*) from ingest.outbox o"
                        + " join ingest.message m on m.id = o.record_key"
                        + " join ingest.application a on a.id = m.app_id where a.uid = ?")) {
            statement.setString(1, appUid);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Once the outbox holds none of them, every record of the application is below the topic's end. */
    private void awaitOutboxEmpty(String appUid) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> inOutbox(appUid) == 0);
    }

    record Published(Map<String, String> payloads, int records, int duplicates) {}

    /** Reads the whole topic up to its current end; keeps the records of the application. */
    private Published readTopic(String appUid) throws Exception {
        String appId = json.readTree(get(urlOfAny() + "/api/v1/app/" + appUid)).get("id").asText();
        var payloads = new HashMap<String, String>();
        int records = 0;
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "accept-kill-it-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(info -> new TopicPartition(TOPIC, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    MessageAccepted message = MessageRecords.decode(record.value().getBytes(StandardCharsets.UTF_8));
                    if (message.appId().equals(appId)) {
                        records++;
                        assertThat(record.key()).isEqualTo(message.messageId());
                        payloads.put(message.messageId(), message.payload());
                    }
                }
            }
        }
        return new Published(payloads, records, records - payloads.size());
    }

    private String urlOfAny() {
        return started.stream().filter(ChildProcess::isAlive).map(this::urlOf).findFirst().orElseThrow();
    }

    private static void report(String scenario, int accepted, long inOutboxAtKill, Published published) {
        System.out.printf("AcceptThenKillIT [%s]: %d accepted (202), %d still in the outbox at SIGKILL;"
                        + " after restart %d records on %s, %d distinct messages, %d duplicates%n",
                scenario, accepted, inOutboxAtKill, published.records(), TOPIC, published.payloads().size(),
                published.duplicates());
    }
}
