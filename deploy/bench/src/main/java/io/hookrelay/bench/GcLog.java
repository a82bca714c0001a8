package io.hookrelay.bench;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads unified JVM GC logs ({@code -Xlog:gc}): which collector, and the stop-the-world pauses.
 * Serial and Parallel print {@code Pause Young (…) 45M->12M(123M) 3.456ms}, G1 the same with
 * {@code (Normal)}/{@code (Mixed)}, ZGC and Shenandoah print their short pauses ({@code Pause Mark
 * Start 0.012ms}, {@code Pause Init Mark 0.123ms}). Concurrent phases are not pauses and are ignored.
 */
final class GcLog {

    private static final Pattern COLLECTOR = Pattern.compile("\\bUsing (The )?([A-Za-z0-9 ]+?)( Garbage Collector| GC)?\\s*$");
    private static final Pattern PAUSE = Pattern.compile("\\bPause\\b.*?(\\d+(?:[.,]\\d+)?)\\s*ms\\s*$");
    private static final Pattern HEAP_CHANGE = Pattern.compile("\\bPause\\b.*?\\s(\\d+)([KMG])->(\\d+)([KMG])\\(");

    private GcLog() {}

    /** The collector's name from a line like {@code [0.005s][info][gc] Using Serial}, if it is one. */
    static Optional<String> collector(String line) {
        int tags = line.lastIndexOf("] ");
        String message = tags >= 0 ? line.substring(tags + 2) : line;
        Matcher matcher = COLLECTOR.matcher(message.trim());
        return matcher.find() && message.trim().startsWith("Using") ? Optional.of(matcher.group(2).trim()) : Optional.empty();
    }

    /** A stop-the-world pause in milliseconds, if the line reports one. */
    static Optional<Double> pauseMillis(String line) {
        if (!line.contains("Pause")) {
            return Optional.empty();
        }
        Matcher matcher = PAUSE.matcher(line);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(Double.parseDouble(matcher.group(1).replace(',', '.')));
    }

    /**
     * Bytes the application allocated between the collections logged in {@code window}: each
     * collection's heap before it, less the heap the previous one left ({@code earlier} is the log
     * before the window, for the first). From the log's rounded sizes (whole MB for a heap this
     * size), so within a megabyte per collection; -1 when the window logs no heap sizes (ZGC,
     * Shenandoah), 0 when it logs no collection.
     */
    static long allocatedBytes(String earlier, String window) {
        long[] previousAfter = {lastHeapAfter(earlier)};
        long[] allocated = {0};
        boolean[] sized = {false};
        boolean[] pauses = {false};
        window.lines().forEach(line -> {
            if (pauseMillis(line).isPresent()) {
                pauses[0] = true;
            }
            Matcher change = HEAP_CHANGE.matcher(line);
            if (change.find()) {
                sized[0] = true;
                long before = bytes(change.group(1), change.group(2));
                if (previousAfter[0] >= 0) {
                    allocated[0] += Math.max(0, before - previousAfter[0]);
                }
                previousAfter[0] = bytes(change.group(3), change.group(4));
            }
        });
        return sized[0] || !pauses[0] ? allocated[0] : -1;
    }

    private static long lastHeapAfter(String log) {
        long after = -1;
        for (String line : (Iterable<String>) log.lines()::iterator) {
            Matcher change = HEAP_CHANGE.matcher(line);
            if (change.find()) {
                after = bytes(change.group(3), change.group(4));
            }
        }
        return after;
    }

    private static long bytes(String amount, String unit) {
        long value = Long.parseLong(amount);
        return switch (unit) {
            case "K" -> value << 10;
            case "M" -> value << 20;
            default -> value << 30;
        };
    }

    /** Pauses in a stretch of log text. */
    static GcPauses pauses(String text) {
        var pauses = new GcPauses.Builder();
        text.lines().forEach(line -> pauseMillis(line).ifPresent(pauses::add));
        return pauses.build();
    }

    /** Count, maximum and total of the pauses in a window. */
    record GcPauses(int count, double maxMillis, double totalMillis) {
        static final class Builder {
            private int count;
            private double max;
            private double total;

            void add(double millis) {
                count++;
                max = Math.max(max, millis);
                total += millis;
            }

            GcPauses build() {
                return new GcPauses(count, max, total);
            }
        }
    }
}
