package io.hookrelay.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A process's CPU priority as Linux keeps it: a niceness per thread, read from {@code /proc}. */
public final class Niceness {

    private Niceness() {}

    /** The niceness of each thread of process {@code pid}. */
    public static List<Integer> ofEveryThread(long pid) {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.map(task -> read(task.resolve("stat"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the threads of process " + pid, e);
        }
    }

    /** The niceness of the calling thread. */
    public static int ofThisThread() {
        return read(Path.of("/proc/thread-self/stat"));
    }

    /** What {@code nice -n steps} gives a process started from one at {@code niceness}: never beyond 19. */
    public static int below(int niceness, int steps) {
        return Math.min(19, niceness + steps);
    }

    /** Field 19 of a {@code stat} file; field 2, the command, is in parentheses and may hold spaces. */
    private static int read(Path stat) {
        try {
            String text = Files.readString(stat);
            String[] fromState = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fromState[19 - 3]);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + stat, e);
        }
    }
}
