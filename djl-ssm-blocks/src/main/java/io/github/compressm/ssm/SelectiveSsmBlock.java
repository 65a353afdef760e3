package io.github.compressm.ssm;

/**
 * A selective (input-dependent, time-varying) state space layer whose state is compressed by a
 * change of basis, such as Mamba-2.
 *
 * <p>Convention: per channel the layer keeps a state {@code s_t} of dimension {@code N = }{@link
 * #getStateSize()} with {@code s_t = a_t s_{t-1} + b_t B_t} and output {@code y_t = C_t^T s_t},
 * where the decay {@code a_t} is a scalar per channel group (so it commutes with every change of
 * basis of {@code s}), and {@code B_t}, {@code C_t} (length {@code N}) depend on the input. The
 * change of basis {@code s = T s~} keeps the outputs: {@code B_t -> T^{-1} B_t}, {@code C_t -> T^T
 * C_t}; truncating it to {@code r} states keeps {@code r} rows of {@code T^{-1}} and {@code r}
 * columns of {@code T}.
 *
 * <p>The layer's {@link #getSignalMoments() recording} holds the second moment of its states {@code
 * E[s s^T]} (the empirical controllability Gramian, {@code N x N}) as the signal moment and that of
 * the loss gradients with respect to those states {@code E[g g^T]} (the empirical observability
 * Gramian) as the gradient moment.
 */
public interface SelectiveSsmBlock extends SsmBlock {

    /**
     * Replaces the layer's state by {@code r} coordinates: {@code B_t <- left B_t}, {@code C_t <-
     * right^T C_t}, folded into the parameters that compute {@code B_t} and {@code C_t}, so the
     * reduced layer costs what a layer built with state {@code r} costs. New {@link
     * ai.djl.nn.Parameter} objects are created on the device and manager of the current ones and
     * put under the same names; the old ones are frozen.
     *
     * @param left the {@code r x N} map applied to {@code B_t}, rows of {@code T^{-1}}
     * @param right the {@code N x r} map whose transpose is applied to {@code C_t}, columns of
     *     {@code T}
     * @throws IllegalArgumentException if the shapes do not match the layer or an entry is not
     *     finite
     * @throws IllegalStateException if the block is not initialised
     */
    void reduceState(double[][] left, double[][] right);

    /**
     * Returns the layer's current maps to {@code B_t} and {@code C_t}.
     *
     * @return copies of the maps
     * @throws IllegalStateException if the block is not initialised
     */
    StateMaps getStateMaps();

    /**
     * Replaces the layer's maps to {@code B_t} and {@code C_t}, of any state size, for example to
     * restore a layer as it was before a reduction. New {@link ai.djl.nn.Parameter} objects are
     * created as for {@link #reduceState}; the state size becomes the maps' row count.
     *
     * @param maps the maps, {@code N' x d} with {@code d} the layer's inner width
     * @throws IllegalArgumentException if the maps' width is not the layer's
     * @throws IllegalStateException if the block is not initialised
     */
    void setStateMaps(StateMaps maps);
}
