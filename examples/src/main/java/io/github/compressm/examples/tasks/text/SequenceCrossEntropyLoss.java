package io.github.compressm.examples.tasks.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;

/**
 * Softmax cross-entropy of per-step logits {@code (batch, time, classes)} against per-step class
 * ids {@code (batch, time)}, averaged over every step of every sequence (in nats).
 *
 * <p>A DJL trainer evaluates the loss of a batch twice: for the gradient, and again when its
 * training evaluators record the loss. The loss remembers the last value it computed and returns it
 * again for the same (not yet closed) logits and labels arrays, so the second evaluation costs no
 * second softmax over the whole batch. Arrays changed in place between two calls are not detected.
 */
public final class SequenceCrossEntropyLoss extends Loss {

    private final SoftmaxCrossEntropyLoss inner = new SoftmaxCrossEntropyLoss("inner");
    private NDArray lastLogits;
    private NDArray lastLabels;
    private NDArray lastLoss;

    /**
     * Creates the loss.
     *
     * @param name the name shown in logs
     */
    public SequenceCrossEntropyLoss(String name) {
        super(name);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        NDArray ids = labels.singletonOrThrow();
        if (logits == lastLogits
                && ids == lastLabels
                && !logits.isReleased()
                && !ids.isReleased()
                && !lastLoss.isReleased()) {
            return lastLoss;
        }
        long classes = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray flatLogits = logits.reshape(-1, classes);
        NDArray flatLabels = ids.reshape(-1);
        NDArray loss = inner.evaluate(new NDList(flatLabels), new NDList(flatLogits));
        lastLogits = logits;
        lastLabels = ids;
        lastLoss = loss;
        return loss;
    }
}
