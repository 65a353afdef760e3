package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
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
 * smaller Toeplitz product; a broadcast product adds each carried state to its chunk. The number of
 * operations is constant in the sequence length, the arithmetic is {@code O(n L (T + L / T^2))} per
 * sequence, and the autograd graph stays small, so cost falls in proportion to the state size
 * {@code n}.
 *
 * <p>Layout: the driving input and the states are {@code (n, chunkLength, columns)} with {@code
 * columns = sequences * chunks}, column {@code m = sequence * chunks + chunk}. Complex values are
 * pairs of real arrays.
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
     * Chooses the chunk length that minimises the arithmetic for a sequence length: the in-chunk
     * work grows with {@code T} and the carry work with {@code (L / T)^2}, balanced at {@code T =
     * (2 L)^(1/3)}.
     *
     * @param length the sequence length
     * @return the chunk length, at least 1 and at most {@code length}
     */
    static int chunkLengthFor(int length) {
        int t = (int) Math.round(Math.cbrt(2.0 * length));
        return Math.max(1, Math.min(length, t));
    }

    /**
     * Runs the recurrence from a zero initial state.
     *
     * @param decay {@code -log|lambda|} per state, shape {@code (n)}, positive
     * @param frequency {@code arg(lambda)} per state, shape {@code (n)}
     * @param driveRe real part of {@code v}, shape {@code (n, chunkLength, columns)}
     * @param driveIm imaginary part of {@code v}, same shape
     * @param sequences the number of sequences ({@code columns / chunks})
     * @return the states {@code (x_re, x_im)}, each of shape {@code (n, chunkLength, columns)}
     */
    NDArray[] scan(
            NDArray decay, NDArray frequency, NDArray driveRe, NDArray driveIm, long sequences) {
        NDManager manager = driveRe.getManager();
        long n = decay.getShape().get(0);
        NDArray[] intra =
                complexMatMul(
                        toeplitzPowers(decay, frequency, manager, chunkLength, 1, 0),
                        driveRe,
                        driveIm);
        if (chunks == 1) {
            return intra;
        }
        // States at the end of every chunk, arranged (n, chunks, sequences) for the carry pass.
        NDArray[] ends = new NDArray[2];
        for (int part = 0; part < 2; part++) {
            ends[part] =
                    intra[part].get(":, -1, :").reshape(n, sequences, chunks).transpose(0, 2, 1);
        }
        // carry_c = sum_{c' < c} lambda^(T (c - 1 - c')) end_{c'}: the state entering chunk c.
        NDArray[] carry =
                complexMatMul(
                        toeplitzPowers(decay, frequency, manager, chunks, chunkLength, 1),
                        ends[0],
                        ends[1]);
        NDArray carryRe = carry[0].transpose(0, 2, 1).reshape(n, 1, sequences * chunks);
        NDArray carryIm = carry[1].transpose(0, 2, 1).reshape(n, 1, sequences * chunks);
        // x_t inside chunk c gains lambda^(t + 1) carry_c.
        NDArray[] rise = powers(decay, frequency, manager);
        NDArray re = intra[0].add(rise[0].mul(carryRe)).sub(rise[1].mul(carryIm));
        NDArray im = intra[1].add(rise[0].mul(carryIm)).add(rise[1].mul(carryRe));
        return new NDArray[] {re, im};
    }

    /** {@code lambda^(t + 1)} for {@code t < chunkLength}, each of shape {@code (n, T, 1)}. */
    private NDArray[] powers(NDArray decay, NDArray frequency, NDManager manager) {
        float[] steps = new float[chunkLength];
        for (int t = 0; t < chunkLength; t++) {
            steps[t] = t + 1;
        }
        NDArray k =
                manager.create(steps, new Shape(1, chunkLength, 1))
                        .toType(decay.getDataType(), false);
        NDArray magnitude = decay.reshape(-1, 1, 1).mul(k).neg().exp();
        NDArray angle = frequency.reshape(-1, 1, 1).mul(k);
        return new NDArray[] {magnitude.mul(angle.cos()), magnitude.mul(angle.sin())};
    }

    /**
     * Lower-triangular Toeplitz matrices {@code K[t, s] = lambda^(scale (t - s - shift))} for
     * {@code t - s >= shift}, zero elsewhere; shape {@code (n, size, size)} each part.
     */
    private static NDArray[] toeplitzPowers(
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
        NDArray lags = manager.create(lag, shape).toType(decay.getDataType(), false);
        NDArray keep = manager.create(mask, shape).toType(decay.getDataType(), false);
        NDArray magnitude = decay.reshape(-1, 1, 1).mul(lags).neg().exp().mul(keep);
        NDArray angle = frequency.reshape(-1, 1, 1).mul(lags);
        return new NDArray[] {magnitude.mul(angle.cos()), magnitude.mul(angle.sin())};
    }

    /** {@code (a_re + i a_im) @ (b_re + i b_im)} as batched real products. */
    private static NDArray[] complexMatMul(NDArray[] a, NDArray bRe, NDArray bIm) {
        NDArray re = a[0].matMul(bRe).sub(a[1].matMul(bIm));
        NDArray im = a[0].matMul(bIm).add(a[1].matMul(bRe));
        return new NDArray[] {re, im};
    }
}
