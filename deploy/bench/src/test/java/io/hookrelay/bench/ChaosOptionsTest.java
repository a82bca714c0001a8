package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosOptionsTest {

    private static final Path HOME = Path.of("/repo");

    @Test
    void theLongFormOnAPlatformOfItsOwnTrainsTheCachesUnderTrafficFirst() {
        assertThat(parse().trainCaches()).isTrue();
        assertThat(parse("--rate", "50", "--groups", "kills").trainCaches()).isTrue();
    }

    @Test
    void theShortFormARunningTargetOrAnExplicitRefusalDoNotTrain() {
        assertThat(parse("--short").trainCaches()).as("the short form runs in ./mvnw verify").isFalse();
        assertThat(parse("--target", "http://127.0.0.1:8080", "--token", "t").trainCaches())
                .as("a running platform keeps the caches it started with").isFalse();
        assertThat(parse("--no-aot-training").trainCaches()).isFalse();
    }

    private static ChaosOptions parse(String... args) {
        return ChaosOptions.parse(HOME, HOME, List.of(args));
    }
}
