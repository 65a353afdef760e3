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
     * Chooses per forward pass from the current state size and the sequence length: {@link #FFT}
     * for sequences longer than 16 steps (shorter ones are one chunk of the chunked scan) of a
     * layer with at most {@link #FFT_MAX_STATE_SIZE} states, {@link #CHUNKED} otherwise, and always
     * chunked for a layer built with a chunk length. A layer that compression shrinks to the
     * threshold switches to the FFT scan.
     */
    AUTO,

    /**
     * The chunked scan: batched products with the Toeplitz matrices of {@code lambda}'s powers
     * inside chunks of {@code ceil(sqrt(L))} steps, and a second level that carries the state
     * across chunks ({@link AbstractDiagonalSsm.BaseBuilder#optChunkLength(int)}).
     */
    CHUNKED,

    /**
     * A causal convolution of every state's input with its impulse response {@code lambda^t},
     * computed with fast Fourier transforms along time, padded to at least {@code 2L - 1} steps.
     * The chunk length does not apply.
     */
    FFT;

    /**
     * The largest state size for which {@link #AUTO} chooses the FFT scan. The two scans do about
     * the same arithmetic per state and step (at {@code L = 784}, in real floating-point
     * operations: {@code 8 T = 224} for the chunked scan's products with chunks of {@code T = 28};
     * about 246 for the FFT scan's four real transforms of 1600 points and the products of the
     * spectra). The FFT scan runs about a quarter fewer operations per pass (no power table
     * gathers, no layout copies), but its state-sized arrays are twice as long (the padding) and
     * complex, and the product of the spectra is elementwise: about 21 reads and writes of the
     * states' size per forward pass against about 9. Fewer operations pay only where fixed costs
     * per operation dominate and the arrays stay in cache, at the smallest state sizes; the extra
     * traffic costs in proportion to the state size. The value is an estimate from these counts, to
     * be replaced by the measured crossover ({@code ./benchmark scan}).
     */
    public static final int FFT_MAX_STATE_SIZE = 8;

    /**
     * Returns the scan a forward pass of a layer with this setting runs.
     *
     * @param stateSize the layer's current state size
     * @param length the input's number of steps
     * @return {@link #CHUNKED} or {@link #FFT}
     */
    public DiagonalScan resolve(int stateSize, long length) {
        if (this != AUTO) {
            return this;
        }
        boolean fft =
                stateSize <= FFT_MAX_STATE_SIZE && length > ChunkedDiagonalScan.SINGLE_CHUNK_LENGTH;
        return fft ? FFT : CHUNKED;
    }
}
