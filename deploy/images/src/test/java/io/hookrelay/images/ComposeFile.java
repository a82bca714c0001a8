package io.hookrelay.images;

import io.hookrelay.helm.HelmChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** deploy/compose.yaml as parsed YAML, its anchors merged (SnakeYAML applies {@code <<}). */
final class ComposeFile {

    static final Path PATH = HelmChart.MODULE.resolveSibling("compose.yaml");

    private ComposeFile() {}

    static Map<String, Object> services() {
        try {
            Map<String, Object> compose = new Yaml().load(Files.readString(PATH));
            return map(compose.get("services"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The script of a service's {@code ["CMD", "bash", "-c", script]} health check as the container
     * runs it: compose's {@code $$} escape undone.
     */
    static String bashHealthCheck(String service) {
        List<Object> test = list(map(map(services().get(service)).get("healthcheck")).get("test"));
        if (test.size() != 4 || !test.subList(0, 3).equals(List.of("CMD", "bash", "-c"))) {
            throw new AssertionError(service + "'s health check is not [CMD, bash, -c, script]: " + test);
        }
        return ((String) test.get(3)).replace("$$", "$");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }
}
