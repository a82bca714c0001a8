package io.hookrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @TempDir
    Path workingDirectory;

    @Test
    void startsTheJvmItselfAtTheNicenessAskedForEveryThreadIncluded() throws Exception {
        try (var child = sleeper(7)) {
            assertThat(child.process().info().command()).as("nice replaced itself with the JVM")
                    .hasValue(ChildProcess.currentJava());
            assertThat(Niceness.ofEveryThread(child.pid())).as("each thread of the child")
                    .isNotEmpty()
                    .allMatch(niceness -> niceness == Niceness.below(Niceness.ofThisThread(), 7));
            child.stop(Duration.ZERO);
        }
    }

    @Test
    void startsTheJvmAtThisProcesssPriorityByDefault() throws Exception {
        try (var child = sleeper(0)) {
            assertThat(Niceness.ofEveryThread(child.pid())).isNotEmpty().allMatch(niceness -> niceness == Niceness.ofThisThread());
            child.stop(Duration.ZERO);
        }
    }

    @Test
    void refusesANicenessOutsideWhatNiceTakes() {
        for (int niceness : new int[] {-1, 20}) {
            assertThatThrownBy(() -> ChildProcess.startJava("sleeper", niceness, List.of(), List.of(), Map.of(),
                            workingDirectory.resolve("never.log")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("0 to 19");
        }
    }

    private ChildProcess sleeper(int niceness) throws Exception {
        Path log = workingDirectory.resolve("sleeper.log");
        var child = ChildProcess.startJava("sleeper", niceness, List.of("-Xmx16m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path")), List.of(Sleep.class.getName()), Map.of(), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains(Sleep.READY) && System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as(child.logTail(20)).isTrue();
            Thread.sleep(50);
        }
        assertThat(Files.readString(log)).contains(Sleep.READY);
        return child;
    }

    public static final class Sleep {
        static final String READY = "sleeping";

        public static void main(String[] args) throws InterruptedException {
            Thread.ofPlatform().start(() -> {}).join();
            System.out.println(READY);
            Thread.sleep(60_000);
        }
    }
}
