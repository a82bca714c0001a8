package io.hookrelay.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A hand-written SVG, one panel per scenario: accepted/s and delivered/s over time on the left
 * axis, end-to-end p99 (ms) of the deliveries of each second on the right axis.
 */
final class SvgChart {

    static final String ACCEPTED_COLOUR = "#1f77b4";
    static final String DELIVERED_COLOUR = "#2ca02c";
    static final String P99_COLOUR = "#d62728";
    private static final int WIDTH = 900;
    private static final int PANEL = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 70;
    private static final int TOP = 40;
    private static final int BOTTOM = 40;

    private final StringBuilder svg = new StringBuilder();

    static String render(List<ScenarioResult> scenarios) {
        return new SvgChart().draw(scenarios).svg.toString();
    }

    private SvgChart draw(List<ScenarioResult> scenarios) {
        int height = Math.max(1, scenarios.size()) * PANEL;
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                WIDTH, height, WIDTH, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int i = 0; i < scenarios.size(); i++) {
            panel(scenarios.get(i), i * PANEL);
        }
        svg.append("</svg>\n");
        return this;
    }

    private void panel(ScenarioResult scenario, int y0) {
        List<TimeSeries.Second> series = scenario.series();
        int plotTop = y0 + TOP;
        int plotHeight = PANEL - TOP - BOTTOM;
        int plotWidth = WIDTH - LEFT - RIGHT;
        double seconds = Math.max(1, series.size());
        double maxRate = niceMax(series.stream().mapToDouble(s -> Math.max(s.accepted(), s.delivered())).max().orElse(1));
        double maxP99 = niceMax(series.stream().mapToDouble(TimeSeries.Second::endToEndP99Millis).filter(v -> !Double.isNaN(v)).max().orElse(1));

        text(LEFT, y0 + 18, "bold", escape(scenario.name() + ": " + scenario.description()));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT, plotTop, plotWidth, plotHeight));
        for (int tick = 0; tick <= 4; tick++) {
            double y = plotTop + plotHeight - plotHeight * tick / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", LEFT, y, LEFT + plotWidth, y));
            text(LEFT - 6, y + 4, "end", String.format(Locale.ROOT, "%.0f", maxRate * tick / 4));
            text(LEFT + plotWidth + 6, y + 4, "start", String.format(Locale.ROOT, "%.0f", maxP99 * tick / 4));
        }
        text(LEFT + plotWidth / 2, plotTop + plotHeight + 28, "middle", String.format(Locale.ROOT, "seconds from the first send (0-%.0f)", seconds));
        text(LEFT - 6, plotTop - 6, "end", "per second");
        text(LEFT + plotWidth + 6, plotTop - 6, "start", "p99 ms");
        line(series, "accepted/s", ACCEPTED_COLOUR, s -> s.accepted(), maxRate, seconds, plotTop, plotHeight, plotWidth);
        line(series, "delivered/s", DELIVERED_COLOUR, s -> s.delivered(), maxRate, seconds, plotTop, plotHeight, plotWidth);
        line(series, "end-to-end p99 (ms)", P99_COLOUR, TimeSeries.Second::endToEndP99Millis, maxP99, seconds, plotTop, plotHeight, plotWidth);
        legend(y0 + 18);
    }

    private void line(List<TimeSeries.Second> series, String name, String colour, ToDoubleFunction<TimeSeries.Second> value,
            double max, double seconds, int top, int height, int width) {
        StringBuilder points = new StringBuilder();
        for (var second : series) {
            double v = value.applyAsDouble(second);
            if (Double.isNaN(v)) {
                continue;
            }
            double x = LEFT + width * (second.second() + 0.5) / seconds;
            double y = top + height - height * Math.min(1, v / max);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        svg.append(String.format(Locale.ROOT, "<polyline data-series=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
                name, colour, points.toString().trim()));
    }

    private void legend(int y) {
        int x = WIDTH - RIGHT - 330;
        String[][] items = {{"accepted/s", ACCEPTED_COLOUR}, {"delivered/s", DELIVERED_COLOUR}, {"end-to-end p99 (right axis)", P99_COLOUR}};
        for (String[] item : items) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                    x, y - 4, x + 16, y - 4, item[1]));
            text(x + 20, y, "start", item[0]);
            x += item[0].length() * 6 + 36;
        }
    }

    private void text(double x, double y, String anchorOrWeight, String content) {
        String attributes = anchorOrWeight.equals("bold") ? "font-weight=\"bold\"" : "text-anchor=\"" + anchorOrWeight + "\"";
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>%n", x, y, attributes, content));
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value}: round axis labels. */
    static double niceMax(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
