package io.github.compressm.listener;

import io.github.compressm.control.SignalWeights;
import io.github.compressm.ssm.DiagonalSsmBlock;
import io.github.compressm.ssm.SignalMoments;
import java.util.Collection;

/**
 * Records the layers' signal moments for {@link io.github.compressm.control.GramianWeighting#DATA}
 * while checks are still to come, and turns them into Gramian weights at each check.
 *
 * <p>A check's moments come from at most {@value #BATCHES_PER_CHECK} training batches, evenly
 * spread over the steps since the previous check and ending with the check's own step: enough rows
 * for moments of a few thousand entries, at a recording cost that no longer grows with the distance
 * between checks.
 */
final class DataWeighting {

    /** The most training batches whose signals enter one check's moments. */
    static final int BATCHES_PER_CHECK = 16;

    private DataWeighting() {}

    /**
     * Returns whether a step's batch is recorded: every {@code s}-th step counted back from the
     * next check, {@code s} the smallest stride that keeps at most {@link #BATCHES_PER_CHECK}
     * batches per check interval.
     *
     * @param step the step, from 1
     * @param schedule the checks
     * @return true if the step's signals enter the next check's moments
     */
    static boolean records(long step, CompressionSchedule schedule) {
        long next = schedule.nextCheckFrom(step);
        if (next < 0) {
            return false;
        }
        long stride = (schedule.getInterval() + BATCHES_PER_CHECK - 1) / BATCHES_PER_CHECK;
        return (next - step) % Math.max(1, stride) == 0;
    }

    /**
     * Turns recording on or off for the next training pass of every layer, keeping what was
     * recorded.
     *
     * @param layers the SSM layers
     * @param record whether the next pass is recorded
     */
    static void recordNext(Collection<DiagonalSsmBlock> layers, boolean record) {
        layers.forEach(
                block -> {
                    if (record) {
                        block.getSignalMoments().start();
                    } else {
                        block.getSignalMoments().pause();
                    }
                });
    }

    /**
     * Starts recording on every layer.
     *
     * @param layers the SSM layers
     */
    static void start(Collection<DiagonalSsmBlock> layers) {
        layers.forEach(block -> block.getSignalMoments().start());
    }

    /**
     * Reads the loss gradients of the last training pass; call after the backward pass.
     *
     * @param layers the SSM layers
     */
    static void collectGradients(Collection<DiagonalSsmBlock> layers) {
        layers.forEach(block -> block.getSignalMoments().collectGradient());
    }

    /**
     * Returns the wall time the layers' recorders have spent so far.
     *
     * @param layers the SSM layers
     * @return nanoseconds, summed over the layers
     */
    static long recordingNanos(Collection<DiagonalSsmBlock> layers) {
        return layers.stream().mapToLong(b -> b.getSignalMoments().getRecordingNanos()).sum();
    }

    /**
     * Stops recording on every layer and drops what was recorded.
     *
     * @param layers the SSM layers
     */
    static void stop(Collection<DiagonalSsmBlock> layers) {
        layers.forEach(block -> block.getSignalMoments().stop());
    }

    /**
     * Returns the weights from a layer's moments since the previous check, and starts afresh.
     *
     * @param block the layer
     * @param inputFloor the floor under the input weight ({@link SignalWeights#of(double[][],
     *     double[][], double)})
     * @return the weights
     * @throws IllegalStateException if no training pass was recorded since the previous check
     */
    static SignalWeights take(DiagonalSsmBlock block, double inputFloor) {
        SignalMoments moments = block.getSignalMoments().takeMoments();
        if (moments == null) {
            throw new IllegalStateException(
                    "no training pass of this layer was recorded since the previous check, so its"
                            + " data weights are unknown");
        }
        return SignalWeights.of(moments.getSignal(), moments.getGradient(), inputFloor);
    }

    /**
     * Describes the regularisation of a layer's weights for the report.
     *
     * @param weights the weights
     * @return a short description
     */
    static String describe(SignalWeights weights) {
        return String.format(
                "data-weighted Gramians (ridges %.3g on the input moment, %.3g on the output"
                        + " gradient moment)",
                weights.getInputRidge(), weights.getOutputRidge());
    }
}
