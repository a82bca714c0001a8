package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsAreTheIssuesFigures() {
        var options = BenchOptions.parse(Path.of("."), List.of());

        assertThat(options.scenarios()).containsExactly("ceiling", "steady", "fanout", "burst");
        assertThat(options.steadyRate()).isEqualTo(1000);
        assertThat(options.warmupRate()).as("the steady rate").isEqualTo(1000);
        assertThat(options.steadyDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.fanoutRate()).isEqualTo(500);
        assertThat(options.fanoutEndpoints()).isEqualTo(10);
        assertThat(options.burstMessages()).isEqualTo(50_000);
        assertThat(options.burstConcurrency()).isEqualTo(256);
        assertThat(options.payloadBytes()).isEqualTo(512);
        assertThat(options.idempotencyKey()).isTrue();
        assertThat(options.drainTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(options.target()).isEmpty();
    }

    @Test
    void runsChosenScenariosInTheDocumentedOrder() {
        var options = BenchOptions.parse(Path.of("."), List.of("--scenarios", "burst,steady", "--steady-rate=50", "--no-idempotency-key"));

        assertThat(options.scenarios()).containsExactly("steady", "burst");
        assertThat(options.steadyRate()).isEqualTo(50);
        assertThat(options.warmupRate()).as("the steady rate unless told").isEqualTo(50);
        assertThat(options.idempotencyKey()).isFalse();
    }

    @Test
    void theWarmUpMayRunAtARateOfItsOwn() {
        var options = BenchOptions.parse(Path.of("."), List.of("--warmup-rate", "100", "--steady-rate", "1000"));

        assertThat(options.warmupRate()).isEqualTo(100);
        assertThat(options.steadyRate()).isEqualTo(1000);
        assertThat(options.describe()).containsEntry("warmupRate", 100);
        assertThat(Scenario.warmup(options).load()).isEqualTo(new Scenario.Open(100, Duration.ofSeconds(60)));
        assertThatThrownBy(() -> BenchOptions.parse(Path.of("."), List.of("--warmup-rate", "0")))
                .hasMessageContaining("--warmup-rate");
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThatThrownBy(() -> BenchOptions.parse(Path.of("."), List.of("--scenarios", "soak")))
                .hasMessageContaining("unknown scenario 'soak'");
        assertThatThrownBy(() -> BenchOptions.parse(Path.of("."), List.of("--steady-rate", "0")))
                .hasMessageContaining("--steady-rate");
        assertThatThrownBy(() -> BenchOptions.parse(Path.of("."), List.of("--target", "http://127.0.0.1:8080")))
                .hasMessageContaining("--token");
        assertThatThrownBy(() -> BenchOptions.parse(Path.of("."), List.of("--fast")))
                .hasMessageContaining("unknown option");
    }

    @Test
    void aMessageBodyHasExactlyTheAskedSize() {
        assertThat(MessageSender.body("bench.event", 512)).hasSize(512);
        assertThat(MessageSender.messageId("{\"eventType\":\"bench.event\",\"payload\":{},\"id\":\"msg_2x\",\"timestamp\":\"t\"}"))
                .isEqualTo("msg_2x");
    }
}
