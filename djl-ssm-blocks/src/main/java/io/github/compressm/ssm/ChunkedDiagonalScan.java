package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The linear recurrence {@code x_t = lambda * x_{t-1} + v_t} of a complex diagonal system, computed
 * without a loop over time.
 *
 * <p>The sequence is cut into {@code chunks} chunks of {@code chunkLength} steps. Inside a chunk
 * the recurrence is a lower-triangular Toeplitz matrix per state ({@code K[t, s] = lambda^(t-s)}),
 * applied to all chunks at once by one batched matrix product; the states carried from one chunk to
 * the next follow the same recurrence with {@code lambda^chunkLength} and are computed by a second,
 * smaller Toeplitz product; a third product adds {@code lambda^(t+1)} times each carried state to
 * its chunk. The number of operations is constant in the sequence length, the arithmetic is {@code
 * O(n L (T + L / T^2))} per sequence, and the autograd graph stays small, so cost falls in
 * proportion to the state size {@code n}.
 *
 * <p>Complex numbers are real pairs and a complex matrix {@code K} acts as the real block matrix
 * {@code [[Re K, -Im K], [Im K, Re K]]}. Layout of inputs and states: {@code (n, 2 * chunkLength,
 * columns)}, rows {@code 0..T-1} the real parts and {@code T..2T-1} the imaginary parts of the
 * steps of a chunk; {@code columns = sequences * chunks}, column {@code m = sequence * chunks +
 * chunk}.
 */
final class ChunkedDiagonalScan {

    private final int chunkLength;
    private final int chunks;

    /**
     * Creates a scan for a padded sequence of {@code chunks * chunkLength} steps.
     *
     * @param chunkLength the steps per chunk
     * @param chunks the number of chunks
     */
    ChunkedDiagonalScan(int chunkLength, int chunks) {
        this.chunkLength = chunkLength;
        this.chunks = chunks;
    }

    /**
     * Chooses the chunk length for a sequence length: {@code ceil(sqrt(L))}. The in-chunk work
     * grows with {@code T} and the carry work with {@code (L / T)^2}; on CPU, at L = 784 and n =
     * 256, T = 28 measured fastest among 8, 16, 28 and 49 (see BENCHMARKS.md).
     *
     * @param length the sequence length
     * @return the chunk length, at least 1 and at most {@code length}
     */
    static int chunkLengthFor(int length) {
        int t = (int) Math.ceil(Math.sqrt(length));
        return Math.max(1, Math.min(length, t));
    }

    /**
     * Runs the recurrence from a zero initial state.
     *
     * @param decay {@code -log|lambda|} per state, shape {@code (n)}, positive
     * @param frequency {@code arg(lambda)} per state, shape {@code (n)}
     * @param drive the input {@code v}, shape {@code (n, 2 * chunkLength, columns)}
     * @param sequences the number of sequences ({@code columns / chunks})
     * @return the states, shape {@code (n, 2 * chunkLength, columns)}
     */
    NDArray scan(NDArray decay, NDArray frequency, NDArray drive, long sequences) {
        NDManager manager = drive.getManager();
        long n = decay.getShape().get(0);
        NDArray toeplitz = toeplitzPowers(decay, frequency, manager, chunkLength, 1, 0);
        NDArray intra = toeplitz.matMul(drive);
        if (chunks == 1) {
            return intra;
        }
        // States at the end of every chunk, arranged (n, 2 * chunks, sequences): the last rows of
        // the Toeplitz blocks applied to the input, cheaper to differentiate than a slice of the
        // full state tensor.
        NDArray lastRows = toeplitz.reshape(n, 2, chunkLength, 2L * chunkLength).get(":, :, -1, :");
        NDArray ends =
                lastRows.matMul(drive)
                        .reshape(n, 2, sequences, chunks)
                        .transpose(0, 1, 3, 2)
                        .reshape(n, 2L * chunks, sequences);
        // carry_c = sum_{c' < c} lambda^(T (c - 1 - c')) end_{c'}: the state entering chunk c.
        NDArray carry =
                toeplitzPowers(decay, frequency, manager, chunks, chunkLength, 1)
                        .matMul(ends)
                        .reshape(n, 2, chunks, sequences)
                        .transpose(0, 1, 3, 2)
                        .reshape(n, 2, sequences * chunks);
        // x_t inside a chunk gains lambda^(t + 1) times the carried state.
        return intra.add(risingPowers(decay, frequency, manager).matMul(carry));
    }

    /**
     * {@code lambda^(t + 1)} for {@code t < chunkLength} as real blocks, shape {@code (n, 2T, 2)}.
     */
    private NDArray risingPowers(NDArray decay, NDArray frequency, NDManager manager) {
        float[] steps = new float[chunkLength];
        for (int t = 0; t < chunkLength; t++) {
            steps[t] = t + 1;
        }
        NDArray k = constant(manager, steps, new Shape(1, chunkLength, 1), decay);
        return complexBlocks(powers(decay, frequency, k, null));
    }

    /**
     * Lower-triangular Toeplitz matrices {@code K[t, s] = lambda^(scale (t - s - shift))} for
     * {@code t - s >= shift}, zero elsewhere, as real blocks of shape {@code (n, 2 size, 2 size)}.
     */
    private static NDArray toeplitzPowers(
            NDArray decay, NDArray frequency, NDManager manager, int size, int scale, int shift) {
        float[] lag = new float[size * size];
        float[] mask = new float[size * size];
        for (int t = 0; t < size; t++) {
            for (int s = 0; s <= t - shift; s++) {
                lag[t * size + s] = (float) scale * (t - s - shift);
                mask[t * size + s] = 1f;
            }
        }
        Shape shape = new Shape(1, size, size);
        return complexBlocks(
                powers(
                        decay,
                        frequency,
                        constant(manager, lag, shape, decay),
                        constant(manager, mask, shape, decay)));
    }

    /** {@code lambda^k} for every entry of {@code k}, masked, as {@code (re, im)}. */
    private static NDArray[] powers(NDArray decay, NDArray frequency, NDArray k, NDArray mask) {
        NDArray magnitude = decay.reshape(-1, 1, 1).mul(k).neg().exp();
        if (mask != null) {
            magnitude = magnitude.mul(mask);
        }
        NDArray angle = frequency.reshape(-1, 1, 1).mul(k);
        return new NDArray[] {magnitude.mul(angle.cos()), magnitude.mul(angle.sin())};
    }

    /** The real block form {@code [[re, -im], [im, re]]} of a batch of complex matrices. */
    private static NDArray complexBlocks(NDArray[] parts) {
        NDArray top = NDArrays.concat(new NDList(parts[0], parts[1].neg()), 2);
        NDArray bottom = NDArrays.concat(new NDList(parts[1], parts[0]), 2);
        return top.concat(bottom, 1);
    }

    private static NDArray constant(NDManager manager, float[] data, Shape shape, NDArray like) {
        return manager.create(data, shape).toType(like.getDataType(), false);
    }
}
