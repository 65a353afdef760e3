package io.github.compressm.examples.report;

import io.github.compressm.examples.training.MetricsRecorder.EpochRecord;
import io.github.compressm.examples.training.MetricsRecorder.StateSizeRecord;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON report of one example run. Field names are stable: scripts may rely on them; a breaking
 * change increments {@link #SCHEMA_VERSION}. Layers are numbered from 0 in the depth-first order of
 * the model's SSM blocks. Fields that were not measured are {@code null}.
 *
 * @param schemaVersion the report format version, currently {@value #SCHEMA_VERSION}
 * @param task the subcommand that produced it: {@code demo}, {@code sequential-image}, {@code
 *     listops}, {@code char-lm} or {@code sysid}
 * @param config every setting of the run
 * @param initialStateSizes the state size of each SSM layer before training
 * @param finalStateSizes the state size of each SSM layer after training
 * @param reductions the reductions actually applied, oldest first; per layer, consecutive
 *     reductions chain from its initial to its final size
 * @param checks every rank check of the compression listener, with its Hankel singular values
 *     (empty with {@code --no-compression})
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
        List<Integer> initialStateSizes,
        List<Integer> finalStateSizes,
        List<Reduction> reductions,
        List<Check> checks,
        long steps,
        double trainSeconds,
        double compressionSeconds,
        Metric metric,
        Map<String, Double> metrics,
        List<EpochRecord> epochs,
        List<StateSizeRecord> stateSizeHistory,
        List<Double> peakResidentMegabytes,
        Map<String, Object> details) {

    /** The current report format version. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * The settings of the run, as given on the command line or by the subcommand's defaults.
     *
     * @param stateSize the initial state size of each LRU layer
     * @param hiddenSize the feature size of the residual layers
     * @param layers the number of residual SSM layers
     * @param epochs the number of epochs
     * @param batchSize the mini-batch size
     * @param learningRate the learning rate
     * @param optimizer {@code adam} or {@code adamw}
     * @param weightDecay AdamW's weight decay (0 for Adam)
     * @param dropout the dropout rate
     * @param compression whether compression was on
     * @param tolerance tau, the fraction of Hankel energy a reduction may discard
     * @param warmupFraction the fraction of steps in which reductions may happen
     * @param seed the seed
     * @param limit the training-example limit (0: all)
     * @param learningRateSchedule {@code FIXED} or {@code WARMUP_COSINE}
     * @param weighting the Gramian weighting, {@code NONE} or {@code DATA}
     * @param extraChecks the most checks added past the window while the layers still shrink
     * @param inputWeightFloor the floor under the input weight of data-aware Gramians
     */
    public record ConfigSection(
            int stateSize,
            int hiddenSize,
            int layers,
            int epochs,
            int batchSize,
            double learningRate,
            String optimizer,
            double weightDecay,
            double dropout,
            boolean compression,
            double tolerance,
            double warmupFraction,
            long seed,
            int limit,
            String learningRateSchedule,
            String weighting,
            int extraChecks,
            double inputWeightFloor) {}

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
     * One rank check of one layer.
     *
     * @param step the training step
     * @param layer the layer index
     * @param layerPath the layer's path in the block tree, as the listener names it
     * @param outcome what the check did: {@code REDUCED}, {@code KEPT} (the cut did not pass the
     *     gate or the layer is at its minimum), {@code ROLLED_BACK}, {@code SKIPPED} or {@code
     *     FAILED}
     * @param hankelSingularValues the layer's HSVs, largest first (those of its real 2N-state
     *     input-output system)
     * @param fromSize the state size before the check
     * @param chosenRank the number of balanced states the tolerance selects, in the units of the
     *     HSVs (0 if none was chosen)
     * @param toSize the state size after the check ({@code fromSize} if not reduced)
     * @param energyKept the fraction of Hankel energy (sum of HSVs) the new size keeps
     * @param reduced whether the layer was reduced at this check
     * @param millis milliseconds spent on this layer at this check
     * @param weighting {@code DATA} if {@code hankelSingularValues} are data-weighted, else {@code
     *     NONE}
     * @param localHankelSingularValues with {@code DATA} weighting, the layer-local HSVs beside the
     *     weighted ones; otherwise empty
     */
    public record Check(
            long step,
            int layer,
            String layerPath,
            String outcome,
            double[] hankelSingularValues,
            int fromSize,
            int chosenRank,
            int toSize,
            double energyKept,
            boolean reduced,
            double millis,
            String weighting,
            double[] localHankelSingularValues) {}

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
