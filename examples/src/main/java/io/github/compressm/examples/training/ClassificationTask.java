package io.github.compressm.examples.training;

import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loss, accuracy and final metric of sequence classification tasks (one label per sequence):
 * softmax cross-entropy on logits of shape {@code (batch, classes)}, accuracy shown while training,
 * and {@code test_accuracy} (main metric) and {@code test_loss} on the held-out set.
 */
public abstract class ClassificationTask implements ExampleTask {

    /** The evaluator name of accuracy in DJL's logs and the learning curves. */
    public static final String ACCURACY = "Accuracy";

    /** Creates the task. */
    protected ClassificationTask() {}

    /** {@inheritDoc} */
    @Override
    public Loss loss() {
        return new SoftmaxCrossEntropyLoss("SoftmaxCrossEntropyLoss");
    }

    /** {@inheritDoc} */
    @Override
    public List<Evaluator> evaluators() {
        return List.of(new Accuracy(ACCURACY));
    }

    /** {@inheritDoc} */
    @Override
    public TaskMetric evaluate(Trainer trainer, TaskData data) {
        HeldOutEvaluation eval = HeldOutEvaluation.run(trainer, data.test(), loss(), 1);
        Map<String, Double> all = new LinkedHashMap<>();
        all.put("test_accuracy", eval.accuracy());
        all.put("test_loss", eval.meanLoss());
        return new TaskMetric("test_accuracy", eval.accuracy(), all);
    }
}
