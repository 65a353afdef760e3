package io.github.compressm.examples.cli;

import io.github.compressm.control.GramianWeighting;
import io.github.compressm.examples.training.LearningRateSchedule;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.examples.training.SsmFamily;
import io.github.compressm.listener.CompressionSettings;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The flags every subcommand shares. Default values come from the subcommand's {@link
 * TaskDefaults}, so {@code --help} of each subcommand shows its own defaults; a compression flag no
 * subcommand overrides starts at the listener's default ({@link CompressionSettings#defaults()}).
 */
public final class CommonOptions {

    private static final CompressionSettings LISTENER_DEFAULTS = CompressionSettings.defaults();

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(
            names = {"-n", "--state-size"},
            description = "Initial state size of each SSM layer (default: ${DEFAULT-VALUE}).")
    int stateSize;

    @Option(
            names = "--ssm",
            description = "SSM layer: lru, s5 or mamba2 (default: ${DEFAULT-VALUE}).")
    SsmFamily ssm;

    @Option(
            names = "--hidden-size",
            description = "Feature size of the residual layers (default: ${DEFAULT-VALUE}).")
    int hiddenSize;

    @Option(
            names = "--layers",
            description = "Number of residual SSM layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = {"--lr", "--learning-rate"},
            description = "(Peak) learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(
            names = "--lr-schedule",
            description =
                    "FIXED, or WARMUP_COSINE (linear warm-up over the --warmup-fraction, then cosine"
                            + " decay, as in the paper) (default: ${DEFAULT-VALUE}).")
    LearningRateSchedule schedule;

    @Option(
            names = "--weight-decay",
            description = "AdamW weight decay; 0 uses Adam (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(
            names = "--dropout",
            description = "Dropout rate of the residual layers (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(
            names = "--tau",
            description =
                    "Fraction of Hankel energy a reduction may discard, in [0, 1)"
                            + " (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(
            names = "--warmup-fraction",
            description =
                    "Fraction of all training steps in which reductions may happen, in (0, 1]"
                            + " (default: ${DEFAULT-VALUE}).")
    double warmupFraction = LISTENER_DEFAULTS.getWarmupFraction();

    @Option(
            names = "--extra-checks",
            description =
                    "Most checks added past the window while the layers still shrink, 0 for checks"
                            + " only inside it (default: ${DEFAULT-VALUE}).")
    int extraChecks = LISTENER_DEFAULTS.getExtraChecks();

    @Option(
            names = "--weighting",
            description =
                    "Gramian weighting: NONE (layer-local Hankel singular values) or DATA (weighted"
                            + " by the layers' input and loss-gradient moments)"
                            + " (default: ${DEFAULT-VALUE}).")
    GramianWeighting weighting;

    @Option(
            names = "--input-weight-floor",
            description =
                    "With --weighting DATA: every input direction counts with at least this"
                            + " fraction of the average input power, e.g. 0.1"
                            + " (default: ${DEFAULT-VALUE}).")
    double inputWeightFloor = LISTENER_DEFAULTS.getInputWeightFloor();

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--limit",
            description =
                    "Use at most this many training examples, 0 for all"
                            + " (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(
            names = "--no-compression",
            description = "Train without the CompreSSM listener (the baseline).")
    boolean noCompression;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write a JSON report.")
    Path report;

    @Option(names = "--plot-dir", paramLabel = "DIR", description = "Write PNG plots here.")
    Path plotDir;

    @Option(
            names = "--save-model",
            paramLabel = "DIR",
            description =
                    "Save the trained (compressed) model here with its serving.properties, for"
                            + " DJL's Criteria and the generate subcommand.")
    Path saveModel;

    /**
     * Validates the flags and turns them into run settings, the compression flags into the
     * listener's {@link CompressionSettings}.
     *
     * @return the run settings
     * @throws ParameterException if a value is out of range
     */
    public RunConfig toRunConfig() {
        positive("--state-size", stateSize);
        positive("--hidden-size", hiddenSize);
        positive("--layers", layers);
        positive("--epochs", epochs);
        positive("--batch-size", batchSize);
        require(
                learningRate > 0 && Float.isFinite(learningRate),
                "--lr must be > 0, got " + learningRate);
        require(
                weightDecay >= 0 && Float.isFinite(weightDecay),
                "--weight-decay must be >= 0, got " + weightDecay);
        require(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
        require(tolerance >= 0 && tolerance < 1, "--tau must be in [0, 1), got " + tolerance);
        require(
                warmupFraction > 0 && warmupFraction <= 1,
                "--warmup-fraction must be in (0, 1], got " + warmupFraction);
        require(extraChecks >= 0, "--extra-checks must be >= 0, got " + extraChecks);
        require(
                inputWeightFloor >= 0 && Double.isFinite(inputWeightFloor),
                "--input-weight-floor must be a finite number >= 0, got " + inputWeightFloor);
        require(limit >= 0, "--limit must be >= 0 (0: all), got " + limit);
        return RunConfig.builder()
                .optSsm(ssm)
                .optStateSize(stateSize)
                .optHiddenSize(hiddenSize)
                .optLayers(layers)
                .optDropout(dropout)
                .optEpochs(epochs)
                .optBatchSize(batchSize)
                .optLearningRate(learningRate)
                .optLearningRateSchedule(schedule)
                .optWeightDecay(weightDecay)
                .optSeed(seed)
                .optLimit(limit)
                .optCompression(!noCompression)
                .optCompressionSettings(compressionSettings())
                .optReportPath(report)
                .optPlotDir(plotDir)
                .optSaveModelDir(saveModel)
                .build();
    }

    /**
     * Builds the listener's settings from the compression flags; the listener's own checks reject
     * what the flags' checks above do not cover.
     *
     * @return the settings
     * @throws ParameterException if the listener rejects a setting
     */
    private CompressionSettings compressionSettings() {
        try {
            return CompressionSettings.builder()
                    .optTolerance(tolerance)
                    .optWarmupFraction(warmupFraction)
                    .optExtraChecks(extraChecks)
                    .optGramianWeighting(weighting)
                    .optInputWeightFloor(inputWeightFloor)
                    .optSeed(seed)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private void positive(String name, int value) {
        require(value >= 1, name + " must be at least 1, got " + value);
    }

    /**
     * Rejects a command line whose values break a rule, with a message.
     *
     * @param ok whether the rule holds
     * @param message the message shown with the usage if it does not
     * @throws ParameterException if {@code ok} is false
     */
    public void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
