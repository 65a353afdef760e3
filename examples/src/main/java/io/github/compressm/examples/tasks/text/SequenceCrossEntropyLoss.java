package io.github.compressm.examples.tasks.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;

/**
 * Softmax cross-entropy of per-step logits {@code (batch, time, classes)} against per-step class
 * ids {@code (batch, time)}, averaged over every step of every sequence (in nats).
 */
public final class SequenceCrossEntropyLoss extends Loss {

    private final SoftmaxCrossEntropyLoss inner = new SoftmaxCrossEntropyLoss("inner");

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
        long classes = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray flatLogits = logits.reshape(-1, classes);
        NDArray flatLabels = labels.singletonOrThrow().reshape(-1);
        return inner.evaluate(new NDList(flatLabels), new NDList(flatLogits));
    }
}
