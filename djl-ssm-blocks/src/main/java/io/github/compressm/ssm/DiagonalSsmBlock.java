package io.github.compressm.ssm;

/**
 * A linear time-invariant state space layer whose state matrix is diagonal, seen as a control
 * system so it can be analysed and compressed.
 *
 * <p>The compression code reads the layer's current system with {@link #getRealization()}, reduces
 * it (balanced truncation), and hands a smaller diagonal system back through {@link
 * #setRealization(DiagonalRealization)}. The block owns the mapping between the realisation and its
 * own parameterisation; the compression code owns the linear algebra. A new SSM family joins
 * compression by implementing this interface, without changes to the compression code; {@link
 * AbstractDiagonalSsm} implements it for complex diagonal layers, so that a family only supplies
 * its parameterisation.
 *
 * <p>Convention: the block's state-dependent part is {@code x_t = diag(lambda) x_{t-1} + B u_t},
 * {@code y_t = Re(C x_t)}; any direct feedthrough {@code D u_t} stays in the block and is untouched
 * by compression.
 */
public interface DiagonalSsmBlock extends SsmBlock {

    /**
     * Reads the layer's current discrete-time system from its parameters, in double precision.
     *
     * @return the diagonal realisation of the layer
     * @throws IllegalStateException if the block is not initialised
     */
    DiagonalRealization getRealization();

    /**
     * Replaces the layer's state-dependent parameters with ones that realise the given system,
     * typically of a smaller state size.
     *
     * <p>New {@link ai.djl.nn.Parameter} objects are created on the device and manager of the
     * current ones and put under the same names, so a running {@link ai.djl.training.Trainer} picks
     * them up; the old parameters are frozen so that no optimizer updates them again.
     *
     * @param realization the new system; inputs and outputs must match the layer's features and
     *     every eigenvalue must satisfy {@code |lambda| < 1}
     * @throws IllegalArgumentException if sizes do not match or an eigenvalue is not stable
     * @throws IllegalStateException if the block is not initialised
     */
    void setRealization(DiagonalRealization realization);
}
