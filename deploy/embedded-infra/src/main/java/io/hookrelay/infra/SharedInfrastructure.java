package io.hookrelay.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One PostgreSQL and one Kafka broker per JVM, started on first use and stopped when the JVM
 * exits. Integration tests share them so each test JVM pays the start-up once.
 */
public final class SharedInfrastructure {

    public static final String DATABASE = "hookrelay";

    private final PostgresServer postgres;
    private final KafkaBroker kafka;

    private SharedInfrastructure(PostgresServer postgres, KafkaBroker kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    public static SharedInfrastructure get() {
        return Holder.INSTANCE;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    private static final class Holder {
        private static final SharedInfrastructure INSTANCE = start();

        private static SharedInfrastructure start() {
            try {
                Path root = Files.createTempDirectory("hookrelay-test-infra");
                var postgres = PostgresServer.start(null, 0);
                postgres.createDatabase(DATABASE);
                var kafka = KafkaBroker.start(root.resolve("kafka"), 0);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    kafka.close();
                    postgres.close();
                }, "hookrelay-test-infra-stop"));
                return new SharedInfrastructure(postgres, kafka);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
