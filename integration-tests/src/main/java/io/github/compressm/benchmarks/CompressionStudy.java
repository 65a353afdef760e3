package io.github.compressm.benchmarks;

import com.google.gson.GsonBuilder;
import io.github.compressm.control.GramianWeighting;
import io.github.compressm.examples.report.RunReport;
import io.github.compressm.examples.tasks.image.ImageSource;
import io.github.compressm.examples.tasks.image.SequentialImageTask;
import io.github.compressm.examples.tasks.text.CharLmSpec;
import io.github.compressm.examples.tasks.text.CharLmTask;
import io.github.compressm.examples.training.ExampleTask;
import io.github.compressm.examples.training.LearningRateSchedule;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.examples.training.SsmFamily;
import io.github.compressm.examples.training.TerminalOutput;
import io.github.compressm.examples.training.TrainingRunner;
import io.github.compressm.listener.CompressionSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The end-to-end study: for every seed and on the same budget, trains (1) the baseline at the full
 * state size, (2) a compressed run for every tolerance and Gramian weighting, and (3) a model
 * trained from scratch at the final state size of the last compressed arm of each tolerance (the
 * mean over its layers, rounded up); writes the runs as JSON and a Markdown table with the task's
 * metric, wall-clock ratios and the peak resident memory of the first, the last and the largest
 * training step (meaningful with a fixed, pre-touched Java heap, as {@code ./benchmark study} runs
 * it: then only native memory moves), followed by the paired differences between arms over the
 * seeds.
 *
 * <p>The model is built from one SSM family ({@code --ssm}: LRU, S5 or Mamba-2); {@code
 * --reference-ssm} adds one more arm per seed, the baseline rebuilt with another family (or another
 * state size), trained on the same seed and budget beside the others. A study that names a family
 * other than the default LRU records each run's family in the JSON and the table.
 *
 * <p>Tasks: sequential Fashion-MNIST (784 steps of one pixel, the paper's sMNIST architecture by
 * default) and a character-level language model of a text file (deep and wide: set {@code --layers}
 * and {@code --hidden-size}).
 */
@Command(
        name = "study",
        mixinStandardHelpOptions = true,
        description = "Baseline vs CompreSSM vs small-from-scratch, on the same seeds and budget.")
public final class CompressionStudy implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(CompressionStudy.class);

    /** The study's tasks. */
    enum StudyTask {
        /** Sequential Fashion-MNIST; metric: test accuracy. */
        SEQUENTIAL_IMAGE,
        /** Character-level language model; metric: bits per character (lower is better). */
        CHAR_LM
    }

    @Option(
            names = "--task",
            description = "SEQUENTIAL_IMAGE or CHAR_LM (default: ${DEFAULT-VALUE}).")
    StudyTask task = StudyTask.SEQUENTIAL_IMAGE;

    @Option(
            names = "--data-dir",
            description = "Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("/usr/share/datasets/fashion-mnist");

    @Option(
            names = "--text",
            description =
                    "Text of the CHAR_LM task (default: ${DEFAULT-VALUE}, from Debian's"
                            + " vim-runtime).")
    Path text = Path.of("/usr/share/vim/vim90/doc/version8.txt");

    @Option(
            names = "--seq-len",
            description = "CHAR_LM training window (default: ${DEFAULT-VALUE}).")
    int sequenceLength = 128;

    @Option(names = "--state-size", description = "Initial state size (default: ${DEFAULT-VALUE}).")
    int stateSize = 256;

    @Option(
            names = "--ssm",
            description =
                    "SSM layer of the baseline, compressed and small-from-scratch arms: lru, s5"
                            + " or mamba2 (default: ${DEFAULT-VALUE}).")
    SsmFamily ssm = SsmFamily.LRU;

    @Option(
            names = "--reference-ssm",
            description =
                    "One more arm per seed: the baseline rebuilt with this SSM layer (lru, s5 or"
                            + " mamba2) at --reference-state-size, trained on the same seed and"
                            + " budget.")
    SsmFamily referenceSsm;

    @Option(
            names = "--reference-state-size",
            description =
                    "State size of the --reference-ssm arm (default: the study's"
                            + " --state-size).")
    Integer referenceStateSize;

    @Option(names = "--hidden-size", description = "Features (default: ${DEFAULT-VALUE}).")
    int hiddenSize = 8;

    @Option(names = "--layers", description = "Residual SSM layers (default: ${DEFAULT-VALUE}).")
    int layers = 1;

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 50;

    @Option(names = "--learning-rate", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate = 0.004f;

    @Option(
            names = "--lr-schedule",
            description = "FIXED or WARMUP_COSINE (default: ${DEFAULT-VALUE}).")
    LearningRateSchedule schedule = LearningRateSchedule.FIXED;

    @Option(
            names = "--limit",
            description = "Training examples, 0 for all (default: ${DEFAULT-VALUE}).")
    int limit = 10000;

    @Option(names = "--test-limit", description = "Test images (default: ${DEFAULT-VALUE}).")
    int testLimit = 2000;

    @Option(names = "--tau", split = ",", description = "Tolerances (default: ${DEFAULT-VALUE}).")
    List<Double> tolerances = List.of(0.04);

    @Option(
            names = "--weighting",
            split = ",",
            description =
                    "Gramian weightings, one compressed arm each (default: ${DEFAULT-VALUE}).")
    List<GramianWeighting> weightings = List.of(GramianWeighting.NONE);

    @Option(
            names = "--input-weight-floor",
            description =
                    "Floor under the input weight of the DATA arms, a fraction of the input"
                            + " moment's mean eigenvalue (default: ${DEFAULT-VALUE}).")
    double inputWeightFloor;

    @Option(names = "--warmup", description = "Warmup fraction (default: ${DEFAULT-VALUE}).")
    double warmupFraction = 0.1;

    @Option(
            names = "--extra-checks",
            description =
                    "With N > 0, one more compressed arm: the last weighting, checking past the"
                            + " window while layers shrink (at most N more checks); the"
                            + " small-from-scratch arm keeps the fixed-window sizes"
                            + " (default: ${DEFAULT-VALUE}).")
    int extraChecks;

    @Option(names = "--seeds", split = ",", description = "Seeds (default: ${DEFAULT-VALUE}).")
    List<Long> seeds = List.of(1L);

    @Option(
            names = "--skip-baseline",
            description =
                    "Run only the compressed and small-from-scratch arms (the baseline is the"
                            + " slow one) and the --reference-ssm arm if one is named.")
    boolean skipBaseline;

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("target/study");

    @Spec CommandSpec spec;

    /** Trains one run of the study; the study's own runs go to {@link TrainingRunner#run}. */
    @FunctionalInterface
    interface RunTrainer {
        /**
         * Trains one run.
         *
         * @param task the task
         * @param config the run's configuration
         * @return the run's report
         * @throws IOException if the data or the report cannot be read or written
         */
        RunReport train(ExampleTask task, RunConfig config) throws IOException;
    }

    private final RunTrainer trainer;

    /** Creates the study, training its runs with {@link TrainingRunner#run}. */
    CompressionStudy() {
        this(TrainingRunner::run);
    }

    /**
     * Creates the study with another trainer of its runs.
     *
     * @param trainer trains one run
     */
    CompressionStudy(RunTrainer trainer) {
        this.trainer = trainer;
    }

    /**
     * One run of the study; {@code ssm} is the family of its layers, {@code null} (and absent from
     * the JSON) in a study of the default LRU family only.
     */
    record Run(
            String kind,
            String ssm,
            long seed,
            double tolerance,
            String weighting,
            List<Integer> initialStateSizes,
            List<Integer> finalStateSizes,
            String metric,
            double metricValue,
            long steps,
            double trainSeconds,
            double compressionSeconds,
            RunReport.PeakMemory peakMemory) {}

    /**
     * Runs the study.
     *
     * @param args command line arguments, see {@code --help}
     */
    public static void main(String[] args) {
        TerminalOutput.install();
        System.exit(commandLine(new CompressionStudy()).execute(args));
    }

    /**
     * The study's command line; enum values such as {@code --ssm mamba2} are read in any case.
     *
     * @param study the study the options are set on
     * @return the command line
     */
    static CommandLine commandLine(CompressionStudy study) {
        return new CommandLine(study).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        if (referenceStateSize != null && referenceSsm == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--reference-state-size sets the size of the --reference-ssm arm: name its"
                            + " family with --reference-ssm (lru, s5 or mamba2) or drop the"
                            + " option");
        }
        Files.createDirectories(out);
        List<Run> runs = new ArrayList<>();
        for (long seed : seeds) {
            if (!skipBaseline) {
                runs.add(run("baseline", ssm, seed, stateSize, 0, GramianWeighting.NONE, 0, false));
            }
            for (double tau : tolerances) {
                Run sizes = null;
                for (GramianWeighting weighting : weightings) {
                    sizes = run("compressed", ssm, seed, stateSize, tau, weighting, 0, true);
                    runs.add(sizes);
                }
                if (extraChecks > 0) {
                    GramianWeighting last = weightings.get(weightings.size() - 1);
                    runs.add(run("compressed", ssm, seed, stateSize, tau, last, extraChecks, true));
                }
                int small = meanRoundedUp(sizes.finalStateSizes());
                runs.add(
                        run(
                                "small-from-scratch",
                                ssm,
                                seed,
                                small,
                                tau,
                                GramianWeighting.NONE,
                                0,
                                false));
            }
            if (referenceSsm != null) {
                int states = referenceStateSize == null ? stateSize : referenceStateSize;
                runs.add(
                        run(
                                "reference",
                                referenceSsm,
                                seed,
                                states,
                                0,
                                GramianWeighting.NONE,
                                0,
                                false));
            }
            write(runs);
        }
        LOG.info("Study written to {}:\n{}", out, StudyTable.render(runs));
        return 0;
    }

    private Run run(
            String kind,
            SsmFamily family,
            long seed,
            int states,
            double tau,
            GramianWeighting weighting,
            int extra,
            boolean compression)
            throws IOException {
        double floor = weighting == GramianWeighting.DATA ? inputWeightFloor : 0;
        String arm =
                (floor > 0 ? weighting.name() + "-floor" + floor : weighting.name())
                        + (extra == 0 ? "" : "+extra" + extra);
        RunConfig config =
                RunConfig.builder()
                        .optSsm(family)
                        .optStateSize(states)
                        .optHiddenSize(hiddenSize)
                        .optLayers(layers)
                        .optEpochs(epochs)
                        .optBatchSize(batchSize)
                        .optLearningRate(learningRate)
                        .optLearningRateSchedule(schedule)
                        .optSeed(seed)
                        .optLimit(limit)
                        .optCompression(compression)
                        .optCompressionSettings(
                                CompressionSettings.builder()
                                        .optTolerance(compression ? tau : 0.0)
                                        .optWarmupFraction(warmupFraction)
                                        .optExtraChecks(extra)
                                        .optGramianWeighting(weighting)
                                        .optInputWeightFloor(floor)
                                        .optSeed(seed)
                                        .build())
                        .optReportPath(
                                out.resolve(
                                        runName(
                                                        kind,
                                                        familyName(family),
                                                        seed,
                                                        tau,
                                                        arm,
                                                        compression)
                                                + ".json"))
                        .build();
        LOG.info(
                "Study run: {} {} seed {} state {} tau {} weighting {}",
                kind,
                family,
                seed,
                states,
                tau,
                arm);
        RunReport report = trainer.train(task(), config);
        return new Run(
                kind,
                familyName(family),
                seed,
                tau,
                compression ? arm : "-",
                report.initialStateSizes(),
                report.finalStateSizes(),
                report.metric().name(),
                report.metric().value(),
                report.steps(),
                report.trainSeconds(),
                report.compressionSeconds(),
                report.peakMemory().orElse(null));
    }

    private ExampleTask task() {
        if (task == StudyTask.CHAR_LM) {
            return new CharLmTask(new CharLmSpec(text, sequenceLength, 0.1, 0, 0));
        }
        return new SequentialImageTask(ImageSource.FASHION_MNIST, dataDir, testLimit);
    }

    /** The family's name in the runs, or {@code null} in a study of the default LRU family only. */
    private String familyName(SsmFamily family) {
        boolean namesFamilies = ssm != SsmFamily.LRU || referenceSsm != null;
        return namesFamilies ? family.name().toLowerCase(Locale.ROOT) : null;
    }

    private static String runName(
            String kind, String family, long seed, double tau, String arm, boolean compression) {
        String name = (family == null ? kind : kind + "-" + family) + "-seed" + seed;
        return compression
                ? name + "-tau" + tau + "-" + arm.toLowerCase(Locale.ROOT).replace('+', '-')
                : tau > 0 ? name + "-tau" + tau : name;
    }

    private static int meanRoundedUp(List<Integer> sizes) {
        return (int) Math.ceil(sizes.stream().mapToInt(Integer::intValue).average().orElse(1));
    }

    private void write(List<Run> runs) throws IOException {
        Files.writeString(
                out.resolve("study.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(runs),
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("study.md"), StudyTable.render(runs), StandardCharsets.UTF_8);
    }
}
