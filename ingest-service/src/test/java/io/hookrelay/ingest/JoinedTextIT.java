package io.hookrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.ingest.groupcommit.JoinedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/** What PostgreSQL makes of a {@link JoinedText}: the values as they were, one row each. */
class JoinedTextIT extends IngestIntegrationTest {

    @Autowired
    DatabaseClient db;

    @Test
    void splitsBackIntoTheSameValuesNullsAndEmptyOnesIncluded() {
        assertThat(split(Arrays.asList("{\"a\":\"b,c\"}", null, "", "é ✓", "{}"))).containsExactly(
                "{\"a\":\"b,c\"}", null, "", "é ✓", "{}");
        assertThat(split(List.of(""))).as("one empty value").containsExactly("");
        assertThat(split(Arrays.asList((String) null))).as("one null").containsExactly((String) null);
        assertThat(split(List.of("", ""))).containsExactly("", "");
    }

    private List<String> split(List<String> values) {
        var rows = db.sql("select value from unnest(" + JoinedText.split(1) + ") with ordinality as v (value, n) order by n")
                .bind(0, JoinedText.of(values, Function.identity()))
                .map(row -> java.util.Optional.ofNullable(row.get("value", String.class)))
                .all().collectList().block();
        var result = new ArrayList<String>();
        rows.forEach(value -> result.add(value.orElse(null)));
        return result;
    }
}
