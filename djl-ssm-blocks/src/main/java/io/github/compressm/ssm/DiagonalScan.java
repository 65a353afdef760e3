package io.github.compressm.ssm;

/**
 * How a complex diagonal layer ({@link AbstractDiagonalSsm}) computes its recurrence {@code x_t =
 * lambda * x_{t-1} + v_t} over a sequence: both ways give the same outputs, states and gradients up
 * to float rounding, and differ in speed and memory. Set with {@link
 * AbstractDiagonalSsm.BaseBuilder#optScan(DiagonalScan)}; a runtime choice, not saved with the
 * model.
 */
public enum DiagonalScan {

    /**
     * The chunked scan: batched products with the Toeplitz matrices of {@code lambda}'s powers
     * inside chunks of {@code ceil(sqrt(L))} steps, and a second level that carries the state
     * across chunks ({@link AbstractDiagonalSsm.BaseBuilder#optChunkLength(int)}).
     */
    CHUNKED,

    /**
     * A causal convolution of every state's input with its impulse response {@code lambda^t},
     * computed with fast Fourier transforms along time, padded to at least {@code 2L - 1} steps.
     * The chunk length does not apply. On a 2-core x86 CPU it measured 1.8x (8 states) to 6.5x (256
     * states) slower than the chunked scan in forward + backward; it may pay on a device with fast
     * transforms ({@code ./benchmark scan} compares the two).
     */
    FFT
}
