package io.hookrelay.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GC pauses per process over one window, from the bytes each GC log gained meanwhile
 * ({@code <data dir>/logs/<name>-gc.log}); the bench's own JVM from its MXBeans (count and total
 * only: they keep no maximum).
 */
final class GcLogWindow {

    static final List<String> LOGGED = List.of(
            PlatformProcesses.GATEWAY, PlatformProcesses.INGEST, PlatformProcesses.DELIVERY, PlatformProcesses.KAFKA);

    /**
     * One process's pauses in the window, or why there are none to show, and the bytes it allocated
     * meanwhile (-1: not known, see {@link GcLog#allocatedBytes}).
     */
    record GcFigures(String process, String collector, int pauses, double maxMillis, double totalMillis, String note,
            long allocatedBytes) {}

    private final Optional<Path> logs;
    private final Map<String, Long> offsets = new LinkedHashMap<>();
    private long benchCount;
    private long benchMillis;

    GcLogWindow(Optional<Path> dataDirectory) {
        this.logs = dataDirectory.map(data -> data.resolve("logs"));
    }

    void begin() {
        offsets.clear();
        for (String name : LOGGED) {
            logFile(name).ifPresent(file -> offsets.put(name, size(file)));
        }
        benchCount = benchCollections();
        benchMillis = benchCollectionMillis();
    }

    List<GcFigures> end() {
        List<GcFigures> figures = new ArrayList<>();
        for (String name : LOGGED) {
            Optional<Path> file = logFile(name);
            if (file.isEmpty()) {
                figures.add(new GcFigures(name, "?", 0, 0, 0, "no GC log", -1));
                continue;
            }
            String collector = collector(file.get());
            long from = offsets.getOrDefault(name, 0L);
            // a rotated (shorter) log started over: read it whole
            long start = from > size(file.get()) ? 0 : from;
            String window = read(file.get(), start);
            var pauses = GcLog.pauses(window);
            String note = pauses.count() == 0 && collector.equals("Z") ? "ZGC logs pauses only with -Xlog:gc+phases" : "";
            long allocated = GcLog.allocatedBytes(read(file.get(), 0, start), window);
            figures.add(new GcFigures(name, collector, pauses.count(), pauses.maxMillis(), pauses.totalMillis(), note, allocated));
        }
        figures.add(new GcFigures(PlatformProcesses.BENCH, benchCollectorNames(), (int) (benchCollections() - benchCount),
                Double.NaN, benchCollectionMillis() - benchMillis, "from MXBeans: no maximum", -1));
        return figures;
    }

    private Optional<Path> logFile(String name) {
        return logs.map(dir -> dir.resolve(name + "-gc.log")).filter(Files::isRegularFile);
    }

    private static String collector(Path file) {
        String head = read(file, 0, 16 * 1024);
        return head.lines().map(GcLog::collector).flatMap(Optional::stream).findFirst().orElse("?");
    }

    private static String read(Path file, long from) {
        return read(file, from, Long.MAX_VALUE);
    }

    private static String read(Path file, long from, long limit) {
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            long length = Math.min(in.length() - from, limit);
            if (length <= 0) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length, Integer.MAX_VALUE - 16)];
            in.seek(from);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long benchCollections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long benchCollectionMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static String benchCollectorNames() {
        return String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
    }
}
