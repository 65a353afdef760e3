package io.github.compressm.examples.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Measures how much each reduction moves the model's outputs on held-out inputs: the relative
 * change {@code ||y_after - y_before|| / ||y_before||} of the model's output on one held-out batch,
 * evaluated right before and right after the compression listener's check of a step that changed a
 * state size. Add {@link #before()} before the compression listener and {@link #after()} after it.
 */
public final class OutputChangeProbe {

    private final Dataset heldOut;
    private final LongPredicate checkStep;
    private final NDManager manager;
    private long step;
    private NDList input;
    private List<Integer> sizesBefore;
    private NDArray outputBefore;
    private final List<Map<String, Object>> changes = new ArrayList<>();

    /**
     * Creates a probe on the first batch of a held-out set.
     *
     * @param heldOut the held-out set
     * @param checkStep whether the compression listener checks at a step (from 1); the first step
     *     is always evaluated, as the schedule may not be known before it
     * @param manager the run's manager; the probe's arrays live in a sub-manager of it, freed with
     *     it
     */
    public OutputChangeProbe(Dataset heldOut, LongPredicate checkStep, NDManager manager) {
        this.heldOut = heldOut;
        this.checkStep = checkStep;
        this.manager = manager.newSubManager();
    }

    /**
     * Returns the listener that evaluates the model before the compression listener runs.
     *
     * @return the listener
     */
    public TrainingListener before() {
        return new TrainingListenerAdapter() {
            /** {@inheritDoc} */
            @Override
            public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                step++;
                if (step > 1 && !checkStep.test(step)) {
                    return;
                }
                sizesBefore = SsmLayers.stateSizes(trainer.getModel().getBlock());
                if (outputBefore != null) {
                    outputBefore.close();
                }
                outputBefore = evaluate(trainer);
            }
        };
    }

    /**
     * Returns the listener that evaluates the model after the compression listener ran, and records
     * the change if a state size changed.
     *
     * @return the listener
     */
    public TrainingListener after() {
        return new TrainingListenerAdapter() {
            /** {@inheritDoc} */
            @Override
            public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                List<Integer> sizes = SsmLayers.stateSizes(trainer.getModel().getBlock());
                if (sizesBefore == null || sizes.equals(sizesBefore)) {
                    return;
                }
                try (NDArray after = evaluate(trainer)) {
                    double change =
                            after.sub(outputBefore).norm().getFloat()
                                    / outputBefore.norm().getFloat();
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("step", step);
                    entry.put("from", sizesBefore);
                    entry.put("to", sizes);
                    entry.put("relativeOutputChange", change);
                    changes.add(entry);
                    sizesBefore = sizes;
                }
            }
        };
    }

    /**
     * Returns the recorded changes, one per check that changed a state size.
     *
     * @return entries with the state sizes before and after and the relative output change
     */
    public List<Map<String, Object>> getChanges() {
        return Collections.unmodifiableList(changes);
    }

    private NDArray evaluate(Trainer trainer) {
        if (input == null) {
            input = firstBatch(trainer);
        }
        // A parameter store of its own: the trainer's would register the parameters a reduction
        // has just created before the step's update, which then counts one (empty) Adam step for
        // them and changes the run.
        NDArray output =
                trainer.getModel()
                        .getBlock()
                        .forward(new ParameterStore(manager, false), input, false)
                        .head();
        output.attach(manager);
        return output;
    }

    private NDList firstBatch(Trainer trainer) {
        try {
            for (Batch batch : trainer.iterateDataset(heldOut)) {
                try (Batch b = batch) {
                    NDList data = b.getData();
                    data.attach(manager);
                    return data;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the held-out set", e);
        } catch (TranslateException e) {
            throw new IllegalStateException("Cannot read the held-out set", e);
        }
        throw new IllegalStateException("The held-out set is empty");
    }
}
