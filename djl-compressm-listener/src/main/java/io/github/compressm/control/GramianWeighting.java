package io.github.compressm.control;

/**
 * How a layer's Gramians weigh its input and output directions before Hankel singular values are
 * computed.
 */
public enum GramianWeighting {

    /**
     * Layer-local Gramians of {@code (A, B, C)}: every input and output direction of the layer
     * counts as equally used (the paper's method; the default).
     */
    NONE,

    /**
     * Data-aware Gramians of {@code (A, B L_R, L_S^T C)} ({@link SignalWeights}): the input side
     * weighted by the second moment of the layer's inputs, the output side by the second moment of
     * the loss gradient at the layer's output, both measured on up to 16 training batches spread
     * over the steps since the previous check. States that talk only to directions the network does
     * not use lose their weight, so they are cut.
     */
    DATA
}
