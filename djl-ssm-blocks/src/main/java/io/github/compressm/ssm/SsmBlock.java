package io.github.compressm.ssm;

import ai.djl.nn.Block;

/**
 * A state space layer whose state compression can shrink: what every compressible family shares.
 *
 * <p>Two kinds join compression. A {@link DiagonalSsmBlock} is linear and time-invariant: its
 * system is read and replaced as a {@link DiagonalRealization}, and its Gramians have a closed
 * form. A {@link SelectiveSsmBlock} is time-varying (its decay and its input and output maps depend
 * on the input): its Gramians come from data, the recorded states and their loss gradients, and a
 * reduction is a change of basis of the state applied to its projections.
 */
public interface SsmBlock extends Block {

    /**
     * Returns the current state size, in the family's own unit: complex states of a diagonal layer,
     * the dimension of the state vector a selective layer keeps per channel.
     *
     * @return the state size
     */
    int getStateSize();

    /**
     * Returns the recording of this layer's signal moments, which compression switches on while it
     * needs them. A diagonal layer records its inputs and the loss gradient at its outputs (the
     * weights of data-aware Gramians); a selective layer records its states and the loss gradient
     * with respect to them (its empirical Gramians).
     *
     * @return the block's recording, never null
     */
    SignalRecording getSignalMoments();
}
