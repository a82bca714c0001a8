package io.hookrelay.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/** Every connection of the gateway's pool carries the statement limit (hookrelay.database.statement-timeout). */
class StatementTimeoutIT extends GatewayIntegrationTest {

    @Autowired
    DatabaseClient db;

    @Test
    void theGatewaysConnectionsCancelAStatementAfterThirtySeconds() {
        for (int i = 0; i < 3; i++) {
            assertThat(db.sql("show statement_timeout").map(row -> row.get(0, String.class)).one().block(Duration.ofSeconds(10)))
                    .isEqualTo("30s");
        }
    }
}
