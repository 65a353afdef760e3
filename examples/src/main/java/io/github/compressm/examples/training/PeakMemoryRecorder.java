package io.github.compressm.examples.training;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records the peak resident memory of every training step: forward, backward, the optimizer update
 * and the listeners that run before this one (add it after the compression listener, so that a
 * step's peak includes its check). Validation between epochs is left out. Records nothing where
 * {@link PeakResidentMemory} is unsupported.
 */
public final class PeakMemoryRecorder extends TrainingListenerAdapter {

    private final PeakResidentMemory probe;
    private final List<Double> perStep = new ArrayList<>();

    /** Creates a recorder on this process's {@link PeakResidentMemory}. */
    public PeakMemoryRecorder() {
        this(new PeakResidentMemory());
    }

    /**
     * Creates a recorder on a probe.
     *
     * @param probe the probe to read and reset
     */
    public PeakMemoryRecorder(PeakResidentMemory probe) {
        this.probe = probe;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        probe.reset();
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        probe.readMegabytes().ifPresent(perStep::add);
        probe.reset();
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        // The epoch's validation ran since the last step: not part of any training step.
        probe.reset();
    }

    /**
     * Returns the peak resident memory of each step so far.
     *
     * @return megabytes, element {@code i} for step {@code i + 1}; empty if unsupported
     */
    public List<Double> getPeakMegabytes() {
        return Collections.unmodifiableList(perStep);
    }
}
