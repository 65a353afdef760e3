package io.github.compressm.examples.training;

import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects the learning curves (per-epoch losses and accuracies) and the state size of every SSM
 * layer over training, for the report and the plots.
 *
 * <p>Add it after DJL's default listeners, so that each epoch's evaluations are complete when
 * {@link #onEpoch} runs, and after the compression listener, so that it sees sizes after a
 * reduction.
 */
public final class MetricsRecorder extends TrainingListenerAdapter {

    private final String accuracyName;
    private final List<EpochRecord> epochs = new ArrayList<>();
    private final List<StateSizeRecord> stateSizes = new ArrayList<>();
    private long step;

    /**
     * Creates a recorder.
     *
     * @param accuracyName the name of the accuracy evaluator to record, or {@code null} if none
     */
    public MetricsRecorder(String accuracyName) {
        this.accuracyName = accuracyName;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        recordSizes(trainer, 0);
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        step++;
        recordSizes(trainer, step);
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        TrainingResult result = trainer.getTrainingResult();
        epochs.add(
                new EpochRecord(
                        epochs.size() + 1,
                        step,
                        value(result.getTrainLoss()),
                        value(result.getValidateLoss()),
                        accuracyName == null
                                ? null
                                : value(result.getTrainEvaluation(accuracyName)),
                        accuracyName == null
                                ? null
                                : value(result.getValidateEvaluation(accuracyName)),
                        SsmLayers.stateSizes(trainer.getModel().getBlock())));
    }

    /**
     * Returns the per-epoch records so far.
     *
     * @return the records, oldest first
     */
    public List<EpochRecord> getEpochs() {
        return Collections.unmodifiableList(epochs);
    }

    /**
     * Returns the state sizes at the start and after every step where a size changed.
     *
     * @return the records, oldest first
     */
    public List<StateSizeRecord> getStateSizes() {
        return Collections.unmodifiableList(stateSizes);
    }

    /**
     * Returns the number of training steps seen.
     *
     * @return the step count
     */
    public long getSteps() {
        return step;
    }

    private void recordSizes(Trainer trainer, long atStep) {
        List<Integer> sizes = SsmLayers.stateSizes(trainer.getModel().getBlock());
        if (stateSizes.isEmpty() || !stateSizes.get(stateSizes.size() - 1).sizes().equals(sizes)) {
            stateSizes.add(new StateSizeRecord(atStep, sizes));
        }
    }

    private static Double value(Float f) {
        return f == null || f.isNaN() ? null : (double) f;
    }

    /**
     * The learning-curve values of one epoch; {@code null} where not measured.
     *
     * @param epoch the epoch number, from 1
     * @param step the number of training steps done at the end of the epoch
     * @param trainLoss the mean training loss of the epoch
     * @param validationLoss the mean validation loss after the epoch
     * @param trainAccuracy the training accuracy, for classifiers
     * @param validationAccuracy the validation accuracy, for classifiers
     * @param stateSizes the state size of every SSM layer at the end of the epoch
     */
    public record EpochRecord(
            int epoch,
            long step,
            Double trainLoss,
            Double validationLoss,
            Double trainAccuracy,
            Double validationAccuracy,
            List<Integer> stateSizes) {}

    /**
     * The state sizes of all SSM layers from a step on.
     *
     * @param step the training step after which the sizes hold (0: before training)
     * @param sizes the state size of every SSM layer
     */
    public record StateSizeRecord(long step, List<Integer> sizes) {}
}
