package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformUnderTestTest {

    @TempDir
    Path data;

    @Test
    void aTargetIsUsedAsGivenAndNothingIsStartedOrStopped() {
        var starts = new AtomicInteger();

        var platform = PlatformUnderTest.targetOrStart(Optional.of(URI.create("http://127.0.0.1:18080")),
                Optional.of("admin-token"), Optional.of(data), () -> {
                    starts.incrementAndGet();
                    throw new AssertionError("a targeted platform must not be started");
                });
        platform.close();

        assertThat(platform.url()).isEqualTo(URI.create("http://127.0.0.1:18080"));
        assertThat(platform.token()).isEqualTo("admin-token");
        assertThat(platform.data()).contains(data);
        // no broker runs from this fresh directory, so no launcher is found through it
        assertThat(platform.launcherPid()).isEmpty();
        assertThat(platform.started()).isEmpty();
        assertThat(starts).hasValue(0);
    }

    @Test
    void withoutATargetThePlatformIsStarted() {
        var starts = new AtomicInteger();

        // what StartedPlatform.start throws when bin/run-local never gets ready: it reaches the caller
        assertThatThrownBy(() -> PlatformUnderTest.targetOrStart(Optional.empty(), Optional.empty(), Optional.of(data), () -> {
            starts.incrementAndGet();
            throw new IllegalStateException("the platform did not start");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the platform did not start");
        assertThat(starts).hasValue(1);
    }
}
