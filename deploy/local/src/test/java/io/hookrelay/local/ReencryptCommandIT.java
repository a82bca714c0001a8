package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.infra.ChildProcess;
import io.hookrelay.infra.PostgresServer;
import io.hookrelay.infra.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's re-encrypt command as an operator runs it: the packaged ingest-service jar with
 * {@code --hookrelay.secrets.reencrypt=true}, against a real PostgreSQL (no Kafka needed). It
 * migrates, seals plain values with the key, exits 0, changes nothing on a second run, and exits
 * 1 naming the endpoint when a value cannot be used.
 */
class ReencryptCommandIT {

    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final String SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

    static PostgresServer postgres;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start(null, 0);
        postgres.createDatabase("hookrelay");
        data = Files.createTempDirectory("hookrelay-reencrypt");
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void sealsPlainValuesOnceAndNamesWhatItCannotUse() throws Exception {
        assertThat(reencrypt("first")).as("migrates an empty database, nothing to do").isZero();
        sql("insert into ingest.application (id, name, created_at, updated_at) values ('app_r', 'r', now(), now())");
        sql("insert into ingest.endpoint (id, app_id, url, secret, headers, created_at, updated_at) values"
                + " ('ep_plain', 'app_r', 'https://example.com', '" + SECRET + "', '{\"Authorization\": \"Bearer rcv\"}',"
                + " now(), now())");

        assertThat(reencrypt("second")).isZero();
        Map<String, String> sealed = row("ep_plain");
        assertThat(sealed.get("secret")).startsWith("enc:v2:default:");
        assertThat(sealed.get("headers")).startsWith("enc:v2:default:").doesNotContain("Bearer rcv"); // a space is never in base64
        assertThat(log("second")).contains("1 rewritten").doesNotContain("C2FVsBQIhrsc").doesNotContain("Bearer rcv");

        assertThat(reencrypt("third")).isZero();
        assertThat(row("ep_plain")).as("a second run changes nothing").isEqualTo(sealed);
        assertThat(log("third")).contains("0 rewritten, 1 already current");

        sql("insert into ingest.endpoint (id, app_id, url, secret, created_at, updated_at) values"
                + " ('ep_broken', 'app_r', 'https://example.com', 'not a secret', now(), now())");
        assertThat(reencrypt("fourth")).isEqualTo(1);
        assertThat(log("fourth")).contains("endpoint ep_broken:").contains("1 not readable");
        assertThat(row("ep_broken").get("secret")).isEqualTo("not a secret");
    }

    private int reencrypt(String run) throws Exception {
        var launcher = new ServiceLauncher(REPOSITORY, data.resolve(run));
        List<String> arguments = new ArrayList<>(List.of(
                "--hookrelay.secrets.reencrypt=true",
                "--hookrelay.database.host=" + postgres.host(),
                "--hookrelay.database.port=" + postgres.port(),
                "--hookrelay.database.name=hookrelay",
                "--hookrelay.database.username=" + PostgresServer.USER,
                "--hookrelay.kafka.bootstrap-servers=127.0.0.1:" + Ports.freePort(),
                "--hookrelay.internal-token=reencrypt-it",
                // the port a serving replica would hold: the command must not need it
                "--server.port=" + Ports.freePort()));
        try (ChildProcess command = launcher.start("ingest-service", concat(arguments,
                "--hookrelay.secrets.encryption-key=" + KEY))) {
            assertThat(command.process().waitFor(180, TimeUnit.SECONDS)).as("the command exits by itself").isTrue();
            return command.process().exitValue();
        }
    }

    private static List<String> concat(List<String> list, String more) {
        var all = new ArrayList<>(list);
        all.add(more);
        return all;
    }

    private String log(String run) throws Exception {
        return Files.readString(data.resolve(run).resolve("logs").resolve("ingest-service.log"));
    }

    private static void sql(String statement) throws Exception {
        try (var connection = DriverManager.getConnection(postgres.jdbcUrl("hookrelay"), PostgresServer.USER, "");
                var create = connection.createStatement()) {
            create.execute(statement);
        }
    }

    private static Map<String, String> row(String id) throws Exception {
        try (var connection = DriverManager.getConnection(postgres.jdbcUrl("hookrelay"), PostgresServer.USER, "");
                var select = connection.prepareStatement("select secret, previous_secret, headers from ingest.endpoint where id = ?")) {
            select.setString(1, id);
            try (var result = select.executeQuery()) {
                result.next();
                var values = new LinkedHashMap<String, String>();
                for (String column : List.of("secret", "previous_secret", "headers")) {
                    values.put(column, result.getString(column));
                }
                return values;
            }
        }
    }
}
