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
