package io.github.compressm.listener;

import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;

/**
 * The paper's pragmatic mode: a reduction that costs more validation accuracy than a tolerated drop
 * is undone.
 */
final class Rollback {

    private final ValidationAccuracy accuracy;
    private final double maxDrop;

    /**
     * Checks a tolerated accuracy drop.
     *
     * @param maxDrop the drop
     * @throws IllegalArgumentException if it is outside [0, 1]
     */
    static void requireDrop(double maxDrop) {
        if (!(maxDrop >= 0 && maxDrop <= 1)) {
            throw new IllegalArgumentException(
                    "maximum accuracy drop must be in [0, 1], got " + maxDrop);
        }
    }

    Rollback(Dataset validation, double maxDrop) {
        this.accuracy = new ValidationAccuracy(validation);
        this.maxDrop = maxDrop;
    }

    /**
     * Measures the model's validation accuracy.
     *
     * @param trainer the trainer
     * @return the accuracy, in [0, 1]
     */
    double measure(Trainer trainer) {
        return accuracy.evaluate(trainer);
    }

    /**
     * Returns why a reduction is undone, or null if it stays.
     *
     * @param before the accuracy before the reduction
     * @param after the accuracy after it
     * @return the reason, or null
     */
    String reasonToUndo(double before, double after) {
        if (before - after <= maxDrop) {
            return null;
        }
        return String.format(
                "validation accuracy fell from %.4f to %.4f, more than %.4f; the layer was restored",
                before, after, maxDrop);
    }
}
