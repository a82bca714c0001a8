package io.hookrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What bin/chaos (and bin/bench) exit with, as {@link Bench#launch} hands it to System.exit. */
class ExitStatusTest {

    static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();

    @TempDir
    Path out;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @Test
    void aCampaignThatBrokeAPromiseExitsThreeAfterPrintingItsReport() throws IOException {
        Files.writeString(out.resolve("report.txt"), "the report of a failed campaign\n");
        var verdict = ChaosVerdict.of(List.of(), totals(2), ChaosOptions.parse(REPOSITORY, REPOSITORY, List.of()).hang());

        int status = execute(List.of(), (home, workingDirectory, arguments) -> () -> new Bench.Finished(out, verdict.exitStatus()));

        assertThat(status).isEqualTo(3);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("the report of a failed campaign\n");
    }

    @Test
    void aCampaignThatKeptEveryPromiseExitsZero() throws IOException {
        Files.writeString(out.resolve("report.txt"), "the report of a passed campaign\n");
        var verdict = ChaosVerdict.of(List.of(), totals(0), ChaosOptions.parse(REPOSITORY, REPOSITORY, List.of()).hang());

        int status = execute(List.of(), (home, workingDirectory, arguments) -> () -> new Bench.Finished(out, verdict.exitStatus()));

        assertThat(status).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("the report of a passed campaign\n");
    }

    @Test
    void aCampaignThatCannotReachItsPlatformHasNoVerdictAndExitsOne() throws IOException {
        String nothingListens = "http://127.0.0.1:" + closedPort();

        int status = execute(List.of("--target", nothingListens, "--token", "admin-token", "--out", out.toString()),
                Chaos.tool(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

        assertThat(status).isEqualTo(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).startsWith("chaos: failed: ");
        assertThat(out.resolve("report.txt")).doesNotExist();
    }

    @Test
    void aWrongCommandLineExitsTwo() {
        int status = execute(List.of("--target", "http://127.0.0.1:1"), Chaos.tool(System.err));

        assertThat(status).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("chaos: --target needs --token (the platform's admin token)\n");
    }

    @Test
    void helpExitsZeroAndListsTheExitStatuses() {
        int status = execute(List.of("--help"), Chaos.tool(System.err));

        assertThat(status).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("Exit status", "  0  the verdict PASSED",
                "  3  the verdict FAILED", "  1  no verdict", "  2  a wrong command line");
    }

    private int execute(List<String> args, Bench.Tool tool) {
        return Bench.execute("chaos", ChaosOptions.USAGE, REPOSITORY, REPOSITORY.toString(), args, tool,
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    private static ChaosReport.Totals totals(long lost) {
        return new ChaosReport.Totals(100, 100, 300, 300 - lost, 0, 0, 0, lost, 0, 0, 0, 0, 0, 0, Map.of());
    }

    private static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
