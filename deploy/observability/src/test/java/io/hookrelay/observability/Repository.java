package io.hookrelay.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the files under test live: the repository this module is part of. */
final class Repository {

    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Path RULES = ROOT.resolve("deploy/prometheus/hookrelay-rules.yaml");
    static final Path RULE_TESTS = ROOT.resolve("deploy/prometheus/hookrelay-rules.test.yaml");
    static final Path DASHBOARDS = ROOT.resolve("deploy/grafana");
    static final Path METRICS_DOC = ROOT.resolve("docs/metrics.md");
    static final Path OPERATIONS_DOC = ROOT.resolve("docs/operations.md");

    private Repository() {}

    static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
