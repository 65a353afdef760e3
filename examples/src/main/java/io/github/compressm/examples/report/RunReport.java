package io.github.compressm.examples.report;

import io.github.compressm.examples.training.MetricsRecorder.EpochRecord;
import io.github.compressm.examples.training.MetricsRecorder.StateSizeRecord;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.listener.CompressionReport;
import io.github.compressm.listener.CompressionSettings;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON report of one example run. Field names are stable: scripts may rely on them; a breaking
 * change increments {@link #SCHEMA_VERSION}, and {@link ReportWriter#read} still reads the earlier
 * formats. Layers are numbered from 0 in the depth-first order of the model's SSM blocks, {@link
 * #layerPaths()} names them. Fields that were not measured are {@code null}.
 *
 * @param schemaVersion the report format version, currently {@value #SCHEMA_VERSION} (reports of
 *     earlier formats are converted when read)
 * @param task the subcommand that produced it: {@code demo}, {@code sequential-image}, {@code
 *     listops}, {@code char-lm} or {@code sysid}
 * @param config every setting of the run
 * @param layerPaths the path of each SSM layer in the block tree, by layer index (in reports of
 *     format 1 only the paths of layers with checks, the others {@code null})
 * @param initialStateSizes the state size of each SSM layer before training
 * @param finalStateSizes the state size of each SSM layer after training
 * @param reductions the reductions actually applied, oldest first; per layer, consecutive
 *     reductions chain from its initial to its final size
 * @param checks every check of the compression listener, as its report holds it, with the Hankel
 *     singular values (empty with {@code --no-compression}); {@link #layerIndex} numbers their
 *     layers
 * @param steps the number of training steps run
 * @param trainSeconds wall-clock seconds of training (all epochs, with per-epoch validation and the
 *     compression checks)
 * @param compressionSeconds the part of {@code trainSeconds} spent in compression checks
 * @param metric the task's main metric on held-out data
 * @param metrics every final metric on held-out data by name
 * @param epochs the learning curves: losses and accuracies per epoch
 * @param stateSizeHistory the state sizes at the start and after each step where one changed
 * @param peakResidentMegabytes the process's peak resident memory (RSS, MB) during each training
 *     step, element {@code i} for step {@code i + 1}: native tensors and the Java heap (see {@link
 *     io.github.compressm.examples.training.PeakResidentMemory}); empty where the system does not
 *     report it
 * @param details task-specific facts, such as {@code trueOrder} (sysid) or {@code sample} (char-lm)
 */
public record RunReport(
        int schemaVersion,
        String task,
        ConfigSection config,
        List<String> layerPaths,
        List<Integer> initialStateSizes,
        List<Integer> finalStateSizes,
        List<Reduction> reductions,
        List<CompressionReport.Check> checks,
        long steps,
        double trainSeconds,
        double compressionSeconds,
        Metric metric,
        Map<String, Double> metrics,
        List<EpochRecord> epochs,
        List<StateSizeRecord> stateSizeHistory,
        List<Double> peakResidentMegabytes,
        Map<String, Object> details) {

    /**
     * The current report format version. Format 1 had a flat config section and checks of its own
     * ({@code layer} an index, {@code layerPath}, {@code fromSize}, {@code chosenRank}, {@code
     * toSize}, {@code reduced}, {@code millis}); format 2 nests the config and holds the listener's
     * checks and settings as the listener reports them.
     */
    public static final int SCHEMA_VERSION = 2;

    /**
     * Returns the index of a check's layer.
     *
     * @param check one of {@link #checks()}
     * @return the layer index, as in {@link #initialStateSizes()}
     * @throws IllegalArgumentException if the layer is not one of {@link #layerPaths()}
     */
    public int layerIndex(CompressionReport.Check check) {
        int index = layerPaths.indexOf(check.getLayer());
        if (index < 0) {
            throw new IllegalArgumentException(
                    "check of layer '" + check.getLayer() + "', not one of " + layerPaths);
        }
        return index;
    }

    /**
     * The settings of the run, as given on the command line or by the subcommand's defaults.
     *
     * @param model the model's shape
     * @param training the optimisation, data and seed
     * @param compression whether compression was on
     * @param compressionSettings the listener's settings (with compression off, the warm-up
     *     fraction still shaped a {@code WARMUP_COSINE} learning rate)
     */
    public record ConfigSection(
            RunConfig.ModelSettings model,
            RunConfig.TrainingSettings training,
            boolean compression,
            CompressionSettings compressionSettings) {

        /**
         * Takes the recorded part of a run's settings: all but the output paths.
         *
         * @param config the run settings
         * @return the config section
         */
        public static ConfigSection of(RunConfig config) {
            return new ConfigSection(
                    config.model(),
                    config.training(),
                    config.compression(),
                    config.compressionSettings());
        }
    }

    /**
     * One applied reduction.
     *
     * @param step the training step at which it happened
     * @param layer the layer index
     * @param from the state size before
     * @param to the state size after
     * @param energyKept the fraction of the layer's Hankel energy (sum of HSVs) kept
     */
    public record Reduction(long step, int layer, int from, int to, double energyKept) {}

    /**
     * A named metric value.
     *
     * @param name the metric's name, such as {@code test_accuracy}, {@code test_mse} or {@code
     *     bits_per_character}
     * @param value its value
     */
    public record Metric(String name, double value) {}

    /**
     * Summarises {@link #peakResidentMegabytes()}.
     *
     * @return the first, last and largest per-step peak, or empty if none was recorded
     */
    public Optional<PeakMemory> peakMemory() {
        List<Double> peaks = peakResidentMegabytes;
        if (peaks == null || peaks.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new PeakMemory(peaks.get(0), peaks.get(peaks.size() - 1), Collections.max(peaks)));
    }

    /**
     * The per-step peak resident memory of a run in brief.
     *
     * @param firstStep the peak of the first training step, MB
     * @param lastStep the peak of the last training step, MB
     * @param max the largest per-step peak, MB
     */
    public record PeakMemory(double firstStep, double lastStep, double max) {}
}
