package io.hookrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

    @TempDir
    Path workingDirectory;

    @Test
    void unpacksTheBinariesCompleteAndMarkedForZonky() throws Exception {
        Path binaries = PostgresBinaries.prepare(workingDirectory);

        assertThat(binaries.getFileName().toString()).matches("PG-[0-9a-f]{32}");
        assertThat(PostgresBinaries.isComplete(binaries)).isTrue();
        assertThat(binaries.resolve("bin/postgres")).isExecutable();
        assertThat(binaries.resolve("bin/pg_ctl")).isExecutable();
        assertThat(Files.readSymbolicLink(binaries.resolve("lib/libpq.so"))).isEqualTo(Path.of("libpq.so.5.14"));
        assertThat(binaries.resolve("lib/libpq.so")).exists(); // the link resolves
        try (var siblings = Files.list(workingDirectory)) {
            assertThat(siblings.map(path -> path.getFileName().toString()))
                    .as("no staging directory is left behind")
                    .containsExactlyInAnyOrder(binaries.getFileName().toString(), "hookrelay-unpack.lock");
        }
    }

    @Test
    void replacesADirectoryAnEarlierUnpackingLeftHalfFilled() throws Exception {
        Path binaries = PostgresBinaries.prepare(workingDirectory);
        // what zonky's own unpacking leaves when it dies: some files, no marker
        Files.delete(binaries.resolve(PostgresBinaries.MARKER));
        Files.delete(binaries.resolve("bin/postgres"));
        Files.writeString(binaries.resolve("lib/left-over"), "x");
        assertThat(PostgresBinaries.isComplete(binaries)).isFalse();

        assertThat(PostgresBinaries.prepare(workingDirectory)).isEqualTo(binaries);

        assertThat(PostgresBinaries.isComplete(binaries)).isTrue();
        assertThat(binaries.resolve("bin/postgres")).isExecutable();
        assertThat(binaries.resolve("lib/left-over")).doesNotExist();
    }

    @Test
    void aMarkerOlderThanTheFilesBesideItIsNotComplete() throws Exception {
        Path binaries = PostgresBinaries.prepare(workingDirectory);
        Files.setLastModifiedTime(binaries.resolve(PostgresBinaries.MARKER),
                Files.getLastModifiedTime(binaries.resolve("bin")));
        Files.setLastModifiedTime(binaries.resolve("bin"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        assertThat(PostgresBinaries.isComplete(binaries)).isFalse();
    }

    /** bin/run-local's launcher has a 64 MB heap; zonky's own unpacking needed more and died of it. */
    @Test
    void unpacksWithinASmallHeap() throws Exception {
        Path log = workingDirectory.resolve("child.log");
        Path target = workingDirectory.resolve("small-heap");
        try (var child = ChildProcess.startJava("unpack", List.of("-Xmx32m", "-XX:+UseSerialGC", "-cp",
                        System.getProperty("java.class.path")),
                List.of(UnpackInAChildProcess.class.getName(), target.toString()), Map.of(), log)) {
            assertThat(child.process().waitFor(120, TimeUnit.SECONDS)).as("unpacked in time").isTrue();
            assertThat(child.process().exitValue()).as(child.logTail(20)).isZero();
            child.stop(Duration.ZERO);
        }
        try (var entries = Files.list(target)) {
            Path binaries = entries.filter(path -> path.getFileName().toString().startsWith("PG-")).findFirst().orElseThrow();
            assertThat(PostgresBinaries.isComplete(binaries)).isTrue();
        }
    }

    public static final class UnpackInAChildProcess {
        public static void main(String[] args) {
            PostgresBinaries.prepare(Path.of(args[0]));
        }
    }
}
