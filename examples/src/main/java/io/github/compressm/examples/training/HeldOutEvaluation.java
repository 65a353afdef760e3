package io.github.compressm.examples.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Mean loss and, for classifiers, accuracy of a trained model over a whole held-out set, in
 * inference mode (no dropout).
 *
 * @param meanLoss the loss averaged over examples
 * @param accuracy the fraction of correct argmax predictions, or {@code NaN} if not computed
 * @param examples the number of examples evaluated
 */
public record HeldOutEvaluation(double meanLoss, double accuracy, long examples) {

    /**
     * Evaluates a model on a dataset.
     *
     * @param trainer the trainer holding the model
     * @param dataset the held-out data
     * @param loss the loss to average (batch means are weighted by batch size)
     * @param classAxis the class axis of the predictions for accuracy, or -1 for no accuracy
     * @return the evaluation
     */
    public static HeldOutEvaluation run(
            Trainer trainer, Dataset dataset, Loss loss, int classAxis) {
        double lossSum = 0;
        double correct = 0;
        double predictions = 0;
        long examples = 0;
        try {
            for (Batch batch : trainer.iterateDataset(dataset)) {
                try (batch) {
                    NDList out = trainer.evaluate(batch.getData());
                    long size = batch.getSize();
                    lossSum += loss.evaluate(batch.getLabels(), out).getFloat() * size;
                    examples += size;
                    if (classAxis >= 0) {
                        NDArray predicted = out.singletonOrThrow().argMax(classAxis);
                        NDArray labels = batch.getLabels().singletonOrThrow();
                        NDArray hits =
                                predicted
                                        .toType(labels.getDataType(), false)
                                        .reshape(labels.getShape())
                                        .eq(labels);
                        correct += hits.sum().getLong();
                        predictions += hits.size();
                    }
                    out.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TranslateException e) {
            throw new IllegalStateException("evaluation failed: " + e.getMessage(), e);
        }
        double accuracy = classAxis >= 0 && predictions > 0 ? correct / predictions : Double.NaN;
        return new HeldOutEvaluation(
                examples > 0 ? lossSum / examples : Double.NaN, accuracy, examples);
    }
}
