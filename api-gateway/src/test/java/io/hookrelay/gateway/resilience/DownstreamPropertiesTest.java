package io.hookrelay.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DownstreamPropertiesTest {

    @Test
    void aMessageCreationWaitsAtMostAsLongAsAnyOtherCall() {
        assertThat(downstream(Duration.ofSeconds(30), Duration.ofSeconds(4)).acceptTimeout()).hasSeconds(4);
        assertThat(downstream(Duration.ofSeconds(4), Duration.ofSeconds(4)).acceptTimeout()).hasSeconds(4);

        assertThatIllegalArgumentException().isThrownBy(() -> downstream(Duration.ofSeconds(2), Duration.ofSeconds(4)))
                .withMessageContaining("accept-timeout (PT4S) must be positive and at most response-timeout (PT2S)");
        assertThatIllegalArgumentException().isThrownBy(() -> downstream(Duration.ofSeconds(30), Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> downstream(Duration.ofSeconds(30), Duration.ofSeconds(-1)));
    }

    private static DownstreamProperties downstream(Duration responseTimeout, Duration acceptTimeout) {
        return new DownstreamProperties(Duration.ofSeconds(2), responseTimeout, acceptTimeout, 50, 20, 10, Duration.ofSeconds(2));
    }
}
