package io.github.compressm.listener;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The classification accuracy of the model being trained on a held-out dataset, for the pragmatic
 * rollback: the arg-max of the last axis of the model's single output against the integer labels.
 */
final class ValidationAccuracy {

    private final Dataset dataset;

    ValidationAccuracy(Dataset dataset) {
        this.dataset = dataset;
    }

    /**
     * Evaluates the model (inference mode, no gradients) on the dataset.
     *
     * @param trainer the trainer whose model and parameter store are used
     * @return the fraction of correct predictions
     */
    double evaluate(Trainer trainer) {
        long correct = 0;
        long total = 0;
        try {
            for (Batch batch : trainer.iterateDataset(dataset)) {
                // Results of operations on the batch's arrays live in its manager and are freed
                // with it.
                try (Batch b = batch) {
                    // Not trainer.evaluate: the trainer's parameter store would register the
                    // parameters of a layer reduced at this step before the step's update, which
                    // would then count an empty Adam step for them.
                    NDArray predictions =
                            trainer.getModel()
                                    .getBlock()
                                    .forward(
                                            new ParameterStore(b.getManager(), false),
                                            b.getData(),
                                            false)
                                    .singletonOrThrow();
                    NDArray predicted = predictions.argMax(-1).toType(DataType.INT64, false);
                    NDArray expected =
                            b.getLabels()
                                    .singletonOrThrow()
                                    .toType(DataType.INT64, false)
                                    .reshape(predicted.getShape());
                    correct += predicted.eq(expected).sum().toType(DataType.INT64, false).getLong();
                    total += predicted.size();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the rollback validation dataset", e);
        } catch (TranslateException e) {
            throw new IllegalStateException("Cannot read the rollback validation dataset", e);
        }
        if (total == 0) {
            throw new IllegalStateException("The rollback validation dataset is empty");
        }
        return (double) correct / total;
    }
}
