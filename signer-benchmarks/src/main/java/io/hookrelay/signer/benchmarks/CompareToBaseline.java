package io.hookrelay.signer.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks with JMH's usual command-line options, then prints signer-lib against the
 * baseline per payload size: {@code java -cp benchmarks.jar
 * io.hookrelay.signer.benchmarks.CompareToBaseline -f 1 -wi 3 -w 2s -i 5 -r 2s}.
 */
public final class CompareToBaseline {

    private CompareToBaseline() {
    }

    public static void main(String[] args) throws CommandLineOptionException, RunnerException {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        if (commandLine.getIncludes().isEmpty()) {
            options.include(CompareToBaseline.class.getPackageName() + ".*");
        }
        Collection<RunResult> results = new Runner(options.parent(commandLine).build()).run();
        print(results, System.out);
    }

    static void print(Collection<RunResult> results, PrintStream out) {
        Map<String, Map<String, Result<?>>> bySize = new TreeMap<>((a, b) -> Integer.compare(
                Integer.parseInt(a), Integer.parseInt(b)));
        List<String> v1a = new ArrayList<>();
        for (RunResult run : results) {
            String benchmark = run.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String size = run.getParams().getParam("size");
            Result<?> score = run.getPrimaryResult();
            if (benchmark.contains("V1aBenchmark")) {
                v1a.add(String.format(Locale.ROOT, "| %7s | %-9s | %,18.0f ± %,7.0f |",
                        human(size), method, score.getScore(), score.getScoreError()));
            } else {
                bySize.computeIfAbsent(size, s -> new TreeMap<>()).put(method, score);
            }
        }
        out.println();
        out.println("| payload | operation |   signer-lib v1 (ops/s) |     baseline (ops/s) | signer-lib / baseline |");
        out.println("|--------:|-----------|------------------------:|---------------------:|----------------------:|");
        bySize.forEach((size, methods) -> {
            row(out, size, "sign", methods.get("sign"), methods.get("baselineSign"));
            row(out, size, "verify", methods.get("verify"), methods.get("baselineVerify"));
        });
        if (!v1a.isEmpty()) {
            out.println();
            out.println("| payload | operation |      signer-lib v1a (ops/s) |");
            out.println("|--------:|-----------|----------------------------:|");
            v1a.forEach(out::println);
        }
    }

    private static void row(PrintStream out, String size, String operation, Result<?> ours, Result<?> baseline) {
        if (ours == null || baseline == null) {
            return;
        }
        out.printf(Locale.ROOT, "| %7s | %-9s | %,13.0f ± %,7.0f | %,10.0f ± %,7.0f | %20.1f%% |%n",
                human(size), operation, ours.getScore(), ours.getScoreError(),
                baseline.getScore(), baseline.getScoreError(), 100 * ours.getScore() / baseline.getScore());
    }

    private static String human(String bytes) {
        int n = Integer.parseInt(bytes);
        if (n >= 1 << 20) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1 << 10) {
            return (n >> 10) + " KiB";
        }
        return n + " B";
    }
}
