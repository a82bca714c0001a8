package io.hookrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfrastructureTest {

    @TempDir
    Path dataDirectory;

    @Test
    void postgresKeepsItsDataAcrossRestarts() throws Exception {
        try (var postgres = PostgresServer.start(dataDirectory.resolve("pg"), 0)) {
            postgres.createDatabase("keep");
            try (var connection = DriverManager.getConnection(postgres.jdbcUrl("keep"), PostgresServer.USER, "");
                    var statement = connection.createStatement()) {
                statement.execute("create table kept (value text)");
                statement.execute("insert into kept values ('still here')");
            }
        }

        try (var postgres = PostgresServer.start(dataDirectory.resolve("pg"), 0);
                var connection = DriverManager.getConnection(postgres.jdbcUrl("keep"), PostgresServer.USER, "");
                var statement = connection.createStatement();
                var result = statement.executeQuery("select value from kept")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void postgresCancelsAStatementWhoseClientIsGone() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PostgresServer.CHECKS_CLIENT_CONNECTION, "Linux only (POLLRDHUP)");
        try (var postgres = PostgresServer.start(dataDirectory.resolve("pg-orphan"), 0);
                var watcher = DriverManager.getConnection(postgres.jdbcUrl("postgres"), PostgresServer.USER, "")) {
            var client = DriverManager.getConnection(postgres.jdbcUrl("postgres"), PostgresServer.USER, "");
            int backend;
            try (var statement = client.createStatement(); var result = statement.executeQuery("select pg_backend_pid()")) {
                result.next();
                backend = result.getInt(1);
            }
            Thread.ofPlatform().daemon().start(() -> {
                try (var statement = client.createStatement()) {
                    statement.execute("select pg_sleep(60)");
                } catch (java.sql.SQLException expected) {
                    // the connection is aborted below
                }
            });
            waitUntil(() -> activeStatements(watcher, backend) == 1, Duration.ofSeconds(10));

            client.abort(Runnable::run); // the socket closes, as when the process is killed

            waitUntil(() -> activeStatements(watcher, backend) == 0, Duration.ofSeconds(10));
            assertThat(activeStatements(watcher, backend)).as("the 60 s statement of a client that is gone").isZero();
        }
    }

    private static int activeStatements(java.sql.Connection connection, int backend) throws java.sql.SQLException {
        try (var statement = connection.prepareStatement("select count(*) from pg_stat_activity where pid = ? and state = 'active'")) {
            statement.setInt(1, backend);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Check check, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.holds() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @Test
    void kafkaBrokerKeepsItsClusterIdAndRecordsAcrossRestarts() throws Exception {
        Path kafkaDirectory = dataDirectory.resolve("kafka");
        try (var broker = KafkaBroker.start(kafkaDirectory, 0)) {
            try (var producer = producer(broker)) {
                producer.send(new ProducerRecord<>("infra-test", "key", "hello")).get(30, TimeUnit.SECONDS);
            }
        }
        String clusterId = Files.readString(kafkaDirectory.resolve("cluster.id"));

        try (var broker = KafkaBroker.start(kafkaDirectory, 0); var consumer = consumer(broker)) {
            consumer.subscribe(List.of("infra-test"));
            var values = new java.util.ArrayList<String>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
            }

            assertThat(values).containsExactly("hello");
            assertThat(Files.readString(kafkaDirectory.resolve("cluster.id"))).isEqualTo(clusterId);
        }
    }

    @Test
    void stoppedBrokerLeavesNoProcessBehind() {
        var broker = KafkaBroker.start(dataDirectory.resolve("kafka-stop"), 0);
        long pid = broker.pid();

        broker.close();

        assertThat(dataDirectory.resolve("logs").resolve("kafka-gc.log")).as("GC log beside the broker's data").isNotEmptyFile();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Ports.isFree(broker.port())).isTrue();
    }

    private static KafkaProducer<String, String> producer(KafkaBroker broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(KafkaBroker broker) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "infra-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
    }
}
