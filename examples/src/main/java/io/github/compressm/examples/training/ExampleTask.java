package io.github.compressm.examples.training;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One example task: its data, model, loss and metric. The {@link TrainingRunner} does the rest
 * (optimizer, listeners, training, timing, report and plots), the same way for every task.
 */
public interface ExampleTask {

    /**
     * Returns the task's name as written in reports ({@code demo}, {@code listops}, ...).
     *
     * @return the name
     */
    String name();

    /**
     * Loads or generates the data.
     *
     * @param manager the manager that owns the data arrays
     * @param config the run settings (seed, limit, batch size)
     * @return the prepared data
     * @throws IOException if data files cannot be read
     */
    TaskData prepare(NDManager manager, RunConfig config) throws IOException;

    /**
     * Builds the (uninitialised) model.
     *
     * @param config the run settings (sizes, dropout)
     * @return the model block
     */
    Block buildModel(RunConfig config);

    /**
     * Returns the training loss.
     *
     * @return the loss
     */
    Loss loss();

    /**
     * Returns extra evaluators shown while training, such as accuracy.
     *
     * @return the evaluators, possibly empty
     */
    List<Evaluator> evaluators();

    /**
     * Computes the task's final metrics on the held-out data.
     *
     * @param trainer the trainer holding the trained model
     * @param data the task's data
     * @return the final metric
     */
    TaskMetric evaluate(Trainer trainer, TaskData data);

    /**
     * Returns task-specific facts for the report after training (a generated sample, the true order
     * of a system, ...). Called once, after {@link #evaluate}.
     *
     * @param trainer the trainer holding the trained model
     * @param config the run settings
     * @return named values, possibly empty
     */
    Map<String, Object> details(Trainer trainer, RunConfig config);

    /**
     * Returns how a saved model of this task is served ({@code --save-model}): the entries of its
     * {@code serving.properties} beyond the shared sizes (hidden size, state size, layers), that is
     * the architecture, the outputs, the token vocabulary and what the translator needs; empty if
     * the task has no translator (then only the parameters are saved).
     *
     * @return the entries, possibly empty
     */
    default Map<String, String> servingProperties() {
        return Map.of();
    }
}
