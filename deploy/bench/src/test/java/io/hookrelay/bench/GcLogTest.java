package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real -Xlog:gc output of JDK 25 (src/test/resources/gc, one file per collector). */
class GcLogTest {

    @ParameterizedTest
    @CsvSource({
        "serial.log,     Serial,     29, 62.205, 421.101",
        "parallel.log,   Parallel,   29, 85.509, 460.754",
        "g1.log,         G1,         25, 82.349, 455.249",
        "shenandoah.log, Shenandoah,  6,  0.081,   0.219",
        "z.log,          Z,           7,  0.075,   0.215"})
    void readsTheCollectorAndEveryPauseOfEachCollectorsLog(String file, String collector, int pauses, double max,
            double total) throws IOException {
        String log = resource(file);

        var figures = GcLog.pauses(log);

        assertThat(log.lines().map(GcLog::collector).flatMap(Optional::stream).findFirst()).contains(collector);
        assertThat(figures.count()).isEqualTo(pauses);
        assertThat(figures.maxMillis()).isCloseTo(max, within(0.0005));
        assertThat(figures.totalMillis()).isCloseTo(total, within(0.001));
    }

    @Test
    void countsWhatWasAllocatedBetweenCollectionsFromTheHeapEachLeftAndTheNextFound() {
        String earlier = "[3.1s][info][gc] GC(0) Pause Young (Allocation Failure) 18M->4M(61M) 60.623ms\n";
        String window = """
                [3.5s][info][gc] GC(1) Pause Young (Allocation Failure) 21M->13M(61M) 62.205ms
                [3.6s][info][gc] GC(2) Pause Full (Allocation Failure) 30M->20M(61M) 43.890ms
                [3.7s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 1024K->512K(64M) 1.0ms
                """;

        // (21 - 4) + (30 - 13) MB, then the heap shrank below what the full collection left: nothing
        assertThat(GcLog.allocatedBytes(earlier, window)).isEqualTo(34L << 20);
        // without the collection before the window, its first interval is not known and not counted
        assertThat(GcLog.allocatedBytes("", window)).isEqualTo(17L << 20);
    }

    @ParameterizedTest
    @CsvSource({"serial.log, 476", "parallel.log, 241", "g1.log, 151"})
    void aLogCutAnywhereAddsUpToTheWhole(String file, long wholeMegabytes) throws IOException {
        String log = resource(file);
        assertThat(GcLog.allocatedBytes("", log)).isEqualTo(wholeMegabytes << 20);
        int cuts = 0;
        for (int cut = 0; cut >= 0 && cut < log.length(); cut = log.indexOf('\n', cut + 1) + 1, cuts++) {
            String before = log.substring(0, cut);
            assertThat(GcLog.allocatedBytes("", before) + GcLog.allocatedBytes(before, log.substring(cut)))
                    .as("cut at %d", cut).isEqualTo(wholeMegabytes << 20);
            if (cut == 0 && cuts > 0) {
                break; // no further line
            }
        }
        assertThat(cuts).isGreaterThan(20);
    }

    @Test
    void knowsNoAllocationFromALogWithoutHeapSizes() throws IOException {
        assertThat(GcLog.allocatedBytes("", resource("z.log"))).isEqualTo(-1);
        assertThat(GcLog.allocatedBytes("", "[0.1s][info][gc] Using Serial\n")).isZero();
    }

    @Test
    void readsTheLineFormatTheServicesWrite() {
        assertThat(GcLog.pauseMillis("[12.345s][info][gc] GC(7) Pause Young (Allocation Failure) 45M->12M(123M) 3.456ms"))
                .contains(3.456);
    }

    @Test
    void ignoresConcurrentPhasesAndPauseStartLines() {
        assertThat(GcLog.pauseMillis("[1.528s][info][gc] GC(0) Concurrent reset (unload classes) 0.042ms")).isEmpty();
        assertThat(GcLog.pauseMillis("[3.789s][info][gc] GC(7) Concurrent Mark Cycle")).isEmpty();
        assertThat(GcLog.pauseMillis("[0.9s][info][gc,start] GC(3) Pause Young (Normal) (G1 Evacuation Pause)")).isEmpty();
        assertThat(GcLog.pauseMillis("[1.152s][info][gc] GC(0) Major Collection (Warmup) 8M(12%)->8M(12%) 0.163s")).isEmpty();
    }

    @Test
    void aLineThatIsNotAUsingLineNamesNoCollector() {
        assertThat(GcLog.collector("[0.033s][info][gc] Heuristics ergonomically sets -XX:+ExplicitGCInvokesConcurrent")).isEmpty();
        assertThat(GcLog.collector("[0.073s][info][gc] Using The Z Garbage Collector")).contains("Z");
    }

    private static String resource(String name) throws IOException {
        try (var in = Objects.requireNonNull(GcLogTest.class.getResourceAsStream("/gc/" + name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
