package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SvgChartTest {

    @Test
    void drawsAcceptedDeliveredAndP99ForEveryScenario() {
        var steady = scenario("steady", List.of(new TimeSeries.Second(0, 900, 850, 4, 20), new TimeSeries.Second(1, 1000, 1000, 5, 25)));
        var burst = scenario("burst", List.of(new TimeSeries.Second(0, 5000, 100, 50, 900)));

        String svg = SvgChart.render(List.of(steady, burst));

        assertThat(svg).startsWith("<svg").contains("</svg>");
        assertThat(svg).contains("steady: ", "burst: ");
        assertThat(count(svg, "data-series=\"accepted/s\"")).isEqualTo(2);
        assertThat(count(svg, "data-series=\"delivered/s\"")).isEqualTo(2);
        assertThat(count(svg, "data-series=\"end-to-end p99 (ms)\"")).isEqualTo(2);
    }

    @Test
    void leavesSecondsWithoutDeliveriesOutOfTheLatencyLine() {
        var scenario = scenario("s", List.of(new TimeSeries.Second(0, 10, 0, Double.NaN, Double.NaN),
                new TimeSeries.Second(1, 10, 10, 3, 7)));

        String svg = SvgChart.render(List.of(scenario));

        String p99 = svg.lines().filter(line -> line.contains("end-to-end p99 (ms)\" fill")).findFirst().orElseThrow();
        assertThat(p99.substring(p99.indexOf("points=\"")).split(" ")).hasSize(1);
        assertThat(svg).doesNotContain("NaN");
    }

    @Test
    void roundsAxisMaximaUpToOneTwoOrFive() {
        assertThat(SvgChart.niceMax(830)).isEqualTo(1000);
        assertThat(SvgChart.niceMax(1200)).isEqualTo(2000);
        assertThat(SvgChart.niceMax(4100)).isEqualTo(5000);
        assertThat(SvgChart.niceMax(0)).isEqualTo(1);
    }

    private static ScenarioResult scenario(String name, List<TimeSeries.Second> series) {
        var sending = new ScenarioResult.Sending("open", 1, 1000, 10, 10, 0, 1000, 0, 1);
        var outcome = new ScenarioResult.Outcome(10, Map.of(), Map.of(), 1000, 10, 10, 1000, 0, "", 0, 0, 1000, 0, 1, 0, 0, true);
        return new ScenarioResult(name, "a test", sending, outcome, Latency.NONE, Latency.NONE, List.of(), List.of(), series);
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
