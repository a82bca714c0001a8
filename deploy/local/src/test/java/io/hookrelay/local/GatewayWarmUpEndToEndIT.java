package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway of the real platform warms up through the real ingest-service before it opens its
 * port: every warm-up request is refused by ingest's validation (so the path it takes is the one
 * clients' messages take), nothing is stored, and the access log shows none of them.
 */
@ExtendWith(SharedPlatform.Extension.class)
class GatewayWarmUpEndToEndIT {

    @Test
    void theGatewayWarmsUpThroughIngestWithoutStoringOrLoggingAnything(SharedPlatform platform) throws Exception {
        String log = Files.readString(platform.log("api-gateway"));

        assertThat(log).contains("Warm-up: 1000 of 1000 requests through the gateway's path");
        assertThat(log).doesNotContain("path=/api/v1/app/hookrelay-gateway-warm-up");
        try (Connection db = DriverManager.getConnection(platform.jdbcUrl(), "postgres", "");
                var statement = db.createStatement();
                var rows = statement.executeQuery(
                        "select count(*) from ingest.application where uid like 'hookrelay-gateway-warm-up%'")) {
            rows.next();
            assertThat(rows.getInt(1)).isZero();
        }
    }
}
