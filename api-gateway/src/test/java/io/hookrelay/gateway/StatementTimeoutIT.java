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
        // four statements at once, each holding its connection a moment: the pool hands out several
        var settings = reactor.core.publisher.Flux.range(0, 4)
                .flatMap(i -> db.sql("select pg_backend_pid() as pid, current_setting('statement_timeout') as timeout,"
                                + " pg_sleep(0.3) is null as slept")
                        .map(row -> row.get("pid", Integer.class) + "=" + row.get("timeout", String.class))
                        .one())
                .collectList()
                .block(Duration.ofSeconds(20));

        assertThat(settings).hasSize(4).allSatisfy(setting -> assertThat(setting).endsWith("=30s"));
        assertThat(settings.stream().distinct().count()).as("distinct connections").isGreaterThan(1);
    }
}
