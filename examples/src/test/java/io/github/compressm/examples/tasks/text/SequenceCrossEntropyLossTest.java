package io.github.compressm.examples.tasks.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

public class SequenceCrossEntropyLossTest {

    private static final int BATCH = 3;
    private static final int TIME = 5;
    private static final int CLASSES = 7;

    /** The mean over all steps of {@code -log softmax(logits)[label]}, in double precision. */
    private static double expected(float[] logits, long[] labels) {
        double sum = 0;
        for (int s = 0; s < labels.length; s++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                max = Math.max(max, logits[s * CLASSES + c]);
            }
            double norm = 0;
            for (int c = 0; c < CLASSES; c++) {
                norm += Math.exp(logits[s * CLASSES + c] - max);
            }
            sum += max + Math.log(norm) - logits[s * CLASSES + (int) labels[s]];
        }
        return sum / labels.length;
    }

    private static float[] randomLogits(Random random) {
        float[] logits = new float[BATCH * TIME * CLASSES];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (3 * random.nextGaussian());
        }
        return logits;
    }

    private static long[] randomLabels(Random random) {
        long[] labels = new long[BATCH * TIME];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(CLASSES);
        }
        return labels;
    }

    @Test
    public void lossIsTheMeanCrossEntropyOverAllSteps() {
        Random random = new Random(1);
        float[] logits = randomLogits(random);
        long[] labels = randomLabels(random);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray value =
                    new SequenceCrossEntropyLoss("loss")
                            .evaluate(
                                    new NDList(manager.create(labels, new Shape(BATCH, TIME))),
                                    new NDList(
                                            manager.create(
                                                    logits, new Shape(BATCH, TIME, CLASSES))));
            Assert.assertEquals(value.getFloat(), expected(logits, labels), 1e-5);
        }
    }

    @Test
    public void evaluatorsReadTheTrainingLossOfTheSameArrays() {
        Random random = new Random(2);
        float[] logits = randomLogits(random);
        long[] labels = randomLabels(random);
        float[] otherLogits = randomLogits(random);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceCrossEntropyLoss loss = new SequenceCrossEntropyLoss("loss");
            NDList ids = new NDList(manager.create(labels, new Shape(BATCH, TIME)));
            NDList predictions =
                    new NDList(manager.create(logits, new Shape(BATCH, TIME, CLASSES)));
            NDArray first = loss.evaluate(ids, predictions);
            // The same arrays, as the trainer's evaluators pass them: the same value, not
            // recomputed.
            Assert.assertSame(loss.evaluate(ids, predictions), first);
            // The accumulated loss an evaluator records is that value.
            loss.addAccumulator("train");
            loss.updateAccumulators(new String[] {"train"}, ids, predictions);
            Assert.assertEquals(loss.getAccumulator("train"), expected(logits, labels), 1e-5);
            // Other logits (a validation batch) and equal values in new arrays are computed anew.
            NDList other = new NDList(manager.create(otherLogits, new Shape(BATCH, TIME, CLASSES)));
            Assert.assertEquals(
                    loss.evaluate(ids, other).getFloat(), expected(otherLogits, labels), 1e-5);
            NDList copy = new NDList(predictions.head().duplicate());
            NDArray again = loss.evaluate(ids, copy);
            Assert.assertNotSame(again, first);
            Assert.assertEquals(again.getFloat(), first.getFloat(), 0f);
            // A closed loss is never returned again: the same arrays are then computed anew.
            NDArray cached = loss.evaluate(ids, predictions);
            cached.close();
            NDArray fresh = loss.evaluate(ids, predictions);
            Assert.assertNotSame(fresh, cached);
            Assert.assertEquals(fresh.getFloat(), expected(logits, labels), 1e-5);
        }
    }
}
