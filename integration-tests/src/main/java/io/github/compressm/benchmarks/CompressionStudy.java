package io.github.compressm.benchmarks;

import com.google.gson.GsonBuilder;
import io.github.compressm.examples.report.RunReport;
import io.github.compressm.examples.tasks.image.ImageSource;
import io.github.compressm.examples.tasks.image.SequentialImageTask;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.examples.training.TrainingRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end study of issue 6: on sequential Fashion-MNIST (784 steps of one pixel) with the
 * paper's sMNIST architecture, trains, for every seed and on the same budget, (1) the baseline at
 * the full state size, (2) the compressed run for every tolerance, and (3) a model trained from
 * scratch at the compressed run's final state size; writes the runs as JSON and a Markdown table
 * with accuracy, wall-clock ratios and the peak resident memory of the first, the last and the
 * largest training step (meaningful with a fixed, pre-touched Java heap, as {@code ./benchmark
 * study} runs it: then only native memory moves).
 */
@Command(
        name = "study",
        mixinStandardHelpOptions = true,
        description = "Baseline vs CompreSSM vs small-from-scratch on sequential Fashion-MNIST.")
public final class CompressionStudy implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(CompressionStudy.class);

    @Option(
            names = "--data-dir",
            description = "Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("/usr/share/datasets/fashion-mnist");

    @Option(names = "--state-size", description = "Initial state size (default: ${DEFAULT-VALUE}).")
    int stateSize = 256;

    @Option(names = "--hidden-size", description = "Features (default: ${DEFAULT-VALUE}).")
    int hiddenSize = 8;

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 50;

    @Option(names = "--learning-rate", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate = 0.004f;

    @Option(names = "--limit", description = "Training images (default: ${DEFAULT-VALUE}).")
    int limit = 10000;

    @Option(names = "--test-limit", description = "Test images (default: ${DEFAULT-VALUE}).")
    int testLimit = 2000;

    @Option(names = "--tau", split = ",", description = "Tolerances (default: ${DEFAULT-VALUE}).")
    List<Double> tolerances = List.of(0.04);

    @Option(names = "--warmup", description = "Warmup fraction (default: ${DEFAULT-VALUE}).")
    double warmupFraction = 0.1;

    @Option(names = "--seeds", split = ",", description = "Seeds (default: ${DEFAULT-VALUE}).")
    List<Long> seeds = List.of(1L);

    @Option(
            names = "--skip-baseline",
            description =
                    "Run only the compressed and small-from-scratch arms (the baseline is the"
                            + " slow one).")
    boolean skipBaseline;

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("target/study");

    /** One run of the study. */
    record Run(
            String kind,
            long seed,
            double tolerance,
            List<Integer> initialStateSizes,
            List<Integer> finalStateSizes,
            double testAccuracy,
            double trainSeconds,
            double compressionSeconds,
            RunReport.PeakMemory peakMemory) {}

    /**
     * Runs the study.
     *
     * @param args command line arguments, see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new CompressionStudy()).execute(args));
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        List<Run> runs = new ArrayList<>();
        for (long seed : seeds) {
            if (!skipBaseline) {
                runs.add(run("baseline", seed, stateSize, 0, false));
            }
            for (double tau : tolerances) {
                Run compressed = run("compressed", seed, stateSize, tau, true);
                runs.add(compressed);
                int small = Collections.max(compressed.finalStateSizes());
                runs.add(run("small-from-scratch", seed, small, tau, false));
            }
            write(runs);
        }
        LOG.info("Study written to {}:\n{}", out, table(runs));
        return 0;
    }

    private Run run(String kind, long seed, int states, double tau, boolean compression)
            throws IOException {
        RunConfig config =
                new RunConfig(
                        states,
                        hiddenSize,
                        1,
                        epochs,
                        batchSize,
                        learningRate,
                        0f,
                        0f,
                        compression ? tau : 0.0,
                        warmupFraction,
                        compression,
                        seed,
                        limit,
                        out.resolve(kind + "-seed" + seed + "-tau" + tau + ".json"),
                        null);
        LOG.info("Study run: {} seed {} state {} tau {}", kind, seed, states, tau);
        RunReport report =
                TrainingRunner.run(
                        new SequentialImageTask(ImageSource.FASHION_MNIST, dataDir, testLimit),
                        config);
        return new Run(
                kind,
                seed,
                tau,
                report.initialStateSizes(),
                report.finalStateSizes(),
                report.metric().value(),
                report.trainSeconds(),
                report.compressionSeconds(),
                report.peakMemory().orElse(null));
    }

    private void write(List<Run> runs) throws IOException {
        Files.writeString(
                out.resolve("study.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(runs),
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("study.md"), table(runs), StandardCharsets.UTF_8);
    }

    private static String table(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("| run | seed | tau | state | test acc | train s | compression s |")
                .append(" baseline time / run time | peak RSS MB: first / last / max step |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        double baselineSeconds = Double.NaN;
        for (Run r : runs) {
            if (r.kind().equals("baseline")) {
                baselineSeconds = r.trainSeconds();
            }
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %s | %s -> %s | %.2f%% | %.1f | %.2f | %s | %s |%n",
                            r.kind(),
                            r.seed(),
                            r.kind().equals("compressed") ? String.valueOf(r.tolerance()) : "-",
                            r.initialStateSizes(),
                            r.finalStateSizes(),
                            100 * r.testAccuracy(),
                            r.trainSeconds(),
                            r.compressionSeconds(),
                            Double.isNaN(baselineSeconds)
                                    ? "-"
                                    : String.format(
                                            Locale.ROOT,
                                            "%.2fx",
                                            baselineSeconds / r.trainSeconds()),
                            r.peakMemory() == null
                                    ? "-"
                                    : String.format(
                                            Locale.ROOT,
                                            "%.0f / %.0f / %.0f",
                                            r.peakMemory().firstStep(),
                                            r.peakMemory().lastStep(),
                                            r.peakMemory().max())));
        }
        return sb.toString();
    }
}
