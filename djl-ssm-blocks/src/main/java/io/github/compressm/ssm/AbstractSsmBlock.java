package io.github.compressm.ssm;

import ai.djl.nn.AbstractBlock;

/**
 * The base of this package's state space layers, as {@link ai.djl.nn.recurrent.RecurrentBlock} is
 * the base of DJL's recurrent ones: the state size, which compression may change; the feature size,
 * known once the block is initialised or loaded; whether the forward pass returns the final states
 * after the output; and the signal recording compression reads ({@link SsmBlock}).
 */
public abstract class AbstractSsmBlock extends AbstractBlock implements SsmBlock {

    /** The recording of the layer's signals; its training forward pass feeds it. */
    final SignalMomentRecorder signalMoments = new SignalMomentRecorder();

    /** The current state size. */
    int stateSize;

    /** The feature size of inputs and outputs, -1 before initialisation or loading. */
    long features = -1;

    private final boolean returnState;

    /**
     * Creates the block.
     *
     * @param version the format version, written with the parameters
     * @param stateSize the initial state size
     * @param returnState whether the forward pass returns the final states after the output
     */
    AbstractSsmBlock(byte version, int stateSize, boolean returnState) {
        super(version);
        this.stateSize = stateSize;
        this.returnState = returnState;
    }

    /** {@inheritDoc} */
    @Override
    public int getStateSize() {
        return stateSize;
    }

    /**
     * Returns the feature size of inputs and outputs, known once the block is initialised.
     *
     * @return the number of features, or -1 before initialisation
     */
    public long getFeatures() {
        return features;
    }

    /**
     * Returns whether the forward pass returns the final states after the output.
     *
     * @return the builder's {@code optReturnState} setting
     */
    public boolean isReturnState() {
        return returnState;
    }

    /** {@inheritDoc} */
    @Override
    public SignalRecording getSignalMoments() {
        return signalMoments;
    }
}
