package io.hookrelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads what the bench needs from Linux's /proc: resident memory, CPU time, parents, command lines. */
final class ProcFs {

    /** Linux reports utime/stime in clock ticks; 100 per second on every mainstream kernel build. */
    static final double TICKS_PER_SECOND = 100.0;

    private final Path root;

    ProcFs(Path root) {
        this.root = root;
    }

    static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    /** One process's counters at one moment. */
    record Stat(long pid, long parentPid, long cpuTicks, long childrenCpuTicks) {}

    Optional<Stat> stat(long pid) {
        return read(pid, "stat").map(ProcFs::parseStat);
    }

    /** Resident set size in bytes, empty when the process is gone. */
    Optional<Long> residentBytes(long pid) {
        return read(pid, "status").flatMap(ProcFs::parseResidentBytes);
    }

    /**
     * Proportional set size in bytes (shared pages divided among the processes sharing them), from
     * smaps_rollup: the figure that can be summed over PostgreSQL's processes, whose shared buffers
     * every backend maps. Empty when unreadable (then use {@link #residentBytes}).
     */
    Optional<Long> proportionalBytes(long pid) {
        return read(pid, "smaps_rollup").flatMap(text -> parseKilobytes(text, "Pss:"));
    }

    /**
     * CPU ticks spent so far by the process's JIT compiler threads (HotSpot's "C1 CompilerThread<n>"
     * and "C2 CompilerThread<n>", named "C1 CompilerThre" in /proc, which keeps 15 characters);
     * 0 for a process that has none or is gone.
     */
    long compilerTicks(long pid) {
        long ticks = 0;
        try (var tasks = Files.list(root.resolve(Long.toString(pid)).resolve("task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                if (isCompilerThread(readFile(task.resolve("comm")).orElse(""))) {
                    ticks += readFile(task.resolve("stat")).map(ProcFs::parseStat).map(Stat::cpuTicks).orElse(0L);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or a thread ended while being read: what was read counts
        }
        return ticks;
    }

    static boolean isCompilerThread(String threadName) {
        String name = threadName.trim();
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    /** The command line with NULs turned into spaces. */
    Optional<String> commandLine(long pid) {
        return read(pid, "cmdline").map(text -> text.replace('\0', ' ').trim());
    }

    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (var entries = Files.list(root)) {
            entries.map(path -> path.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                    .forEach(name -> pids.add(Long.parseLong(name)));
        } catch (IOException e) {
            // no /proc: nothing to sample
        }
        return pids;
    }

    /**
     * Fields after the command name, which is in parentheses and may itself hold spaces and
     * parentheses: so split after the LAST ')'. utime, stime, cutime, cstime are fields 14-17.
     */
    static Stat parseStat(String line) {
        long pid = Long.parseLong(line.substring(0, line.indexOf(' ')).trim());
        String[] rest = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
        // rest[0] is field 3 (state): field n is rest[n - 3]
        long parent = Long.parseLong(rest[4 - 3]);
        long utime = Long.parseLong(rest[14 - 3]);
        long stime = Long.parseLong(rest[15 - 3]);
        long cutime = Long.parseLong(rest[16 - 3]);
        long cstime = Long.parseLong(rest[17 - 3]);
        return new Stat(pid, parent, utime + stime, cutime + cstime);
    }

    static Optional<Long> parseResidentBytes(String status) {
        return parseKilobytes(status, "VmRSS:");
    }

    static Optional<Long> parseKilobytes(String text, String field) {
        for (String line : text.split("\n")) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                return Optional.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value);
            }
        }
        return Optional.empty(); // kernel threads and zombies have no VmRSS
    }

    private Optional<String> read(long pid, String file) {
        return readFile(root.resolve(Long.toString(pid)).resolve(file));
    }

    private static Optional<String> readFile(Path path) {
        try {
            return Optional.of(new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
