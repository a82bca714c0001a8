package io.hookrelay.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The JVM settings of every process the local platform starts. Heap, collector and sizes live in
 * one argument file per process under {@code deploy/jvm} ({@code java @deploy/jvm/<name>.options};
 * container images reuse the same files); what depends on the run (the GC log's place) and the
 * child environment are added here. Chosen by measurement: docs/adr/0014.
 */
public final class JvmOptions {

    /** Where the argument files live, relative to the repository. */
    public static final String DIRECTORY = "deploy/jvm";

    /**
     * glibc malloc gives each thread that allocates natively an arena of its own, up to 8 per core;
     * each keeps freed memory resident. Two are plenty for JVMs that allocate natively from a few
     * threads.
     */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private JvmOptions() {}

    /** {@code @<home>/deploy/jvm/<process>.options}: the java launcher reads the file itself. */
    public static String argumentFile(Path home, String process) {
        return "@" + home.resolve(DIRECTORY).resolve(process + ".options");
    }

    /**
     * The GC log of {@code process} at {@code <logs>/<process>-gc.log}: one line per collection
     * with the JVM's uptime (the benchmark reads pauses from it), rotated over 5 files of 10 MB so
     * it stays bounded however long the platform runs.
     */
    public static String gcLog(Path logs, String process) {
        return "-Xlog:gc:file=" + gcLogFile(logs, process) + ":uptime,level,tags:filecount=5,filesize=10m";
    }

    public static Path gcLogFile(Path logs, String process) {
        return logs.resolve(process + "-gc.log");
    }

    /** Both settings a child JVM needs besides its own, for a process whose logs go to {@code logs}. */
    public static List<String> forProcess(Path home, Path logs, String process) {
        return List.of(argumentFile(home, process), gcLog(logs, process));
    }
}
