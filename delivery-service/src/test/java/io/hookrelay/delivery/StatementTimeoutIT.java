package io.hookrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every connection of the service's pool carries the statement limit (hookrelay.database.statement-timeout). */
class StatementTimeoutIT extends DeliveryIntegrationTest {

    @Test
    void theServicesConnectionsCancelAStatementAfterThirtySeconds() {
        for (int i = 0; i < 3; i++) {
            assertThat(db.sql("show statement_timeout").map(row -> row.get(0, String.class)).one().block(Duration.ofSeconds(10)))
                    .isEqualTo("30s");
        }
    }
}
