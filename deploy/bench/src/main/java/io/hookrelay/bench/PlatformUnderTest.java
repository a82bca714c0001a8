package io.hookrelay.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The platform a run of bin/bench or bin/chaos works against: one already running ({@code --target},
 * with its launcher found through its data directory when that is given) or one the run started
 * itself, which {@link #close()} stops.
 *
 * @param launcherPid the bin/run-local process, when known: per-process figures and faults need it
 * @param data the platform's data directory (PostgreSQL, GC logs), when known
 */
record PlatformUnderTest(URI url, String token, Optional<Long> launcherPid, Optional<Path> data,
        Optional<StartedPlatform> started) implements AutoCloseable {

    /** The {@code --target} platform when one is given, else the one {@code start} starts. */
    static PlatformUnderTest targetOrStart(Optional<URI> target, Optional<String> token, Optional<Path> dataDirectory,
            Supplier<StartedPlatform> start) {
        if (target.isPresent()) {
            return new PlatformUnderTest(target.get(), token.orElseThrow(),
                    dataDirectory.flatMap(directory -> PlatformProcesses.launcherOf(ProcFs.system(), directory)),
                    dataDirectory, Optional.empty());
        }
        StartedPlatform started = start.get();
        return new PlatformUnderTest(started.url(), started.token(), Optional.of(started.pid()),
                Optional.of(started.dataDirectory()), Optional.of(started));
    }

    /** Stops the platform if this run started it; a targeted one is left running. */
    @Override
    public void close() {
        started.ifPresent(StartedPlatform::close);
    }
}
