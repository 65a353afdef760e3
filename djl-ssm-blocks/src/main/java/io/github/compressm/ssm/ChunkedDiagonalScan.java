package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The linear recurrence {@code x_t = lambda * x_{t-1} + v_t} of a complex diagonal system, computed
 * without a loop over time.
 *
 * <p>The sequence is cut into {@code chunks} chunks of {@code T = chunkLength} steps, and the state
 * at step {@code t} of chunk {@code c} is split into the part driven from inside the chunk and the
 * state {@code carry_c} entering the chunk:
 *
 * <pre>
 *   x_t = sum_{s <= t} lambda^(t - s) v_s + lambda^(t + 1) carry_c.
 * </pre>
 *
 * The scan computes, for all chunks at once:
 *
 * <ol>
 *   <li>the end state of every chunk from a zero entering state, {@code end_c = sum_s lambda^(T - 1
 *       - s) v_s}: one small product with the last row of the in-chunk Toeplitz matrix;
 *   <li>the entering states {@code carry_c = sum_{c' < c} lambda^(T (c - 1 - c')) end_{c'}}: the
 *       same recurrence one level up, a Toeplitz product over the chunks of each sequence;
 *   <li>the states, as one batched product of the lower-triangular Toeplitz matrix {@code K[t, s] =
 *       lambda^(t - s)}, augmented with the column {@code lambda^(t + 1)}, and the chunk's inputs
 *       with {@code carry_c} appended as one more input step.
 * </ol>
 *
 * The number of operations is constant in the sequence length, the arithmetic is {@code O(n L (T +
 * L / T^2))} per sequence, and the full-size tensors go through a single large product, so cost
 * falls in proportion to the state size {@code n}.
 *
 * <p>A nonzero initial state {@code x_init} (the state before the first step) enters as the end of
 * a chunk {@code -1}: {@code carry_c} gains {@code lambda^(T c) x_init}, so every state gains
 * {@code lambda^(t + 1) x_init} from its chunk's carry. A single chunk skips the carry level, and a
 * single step is one complex multiply-add {@code x = lambda x_init + v}, without power table or
 * gathers.
 *
 * <p>Complex numbers are real pairs and a complex matrix {@code K} acts as the real block matrix
 * {@code [[Re K, -Im K], [Im K, Re K]]}. All entries of all matrices are powers {@code lambda^e}
 * from one table of {@code (Re, Im, -Im)} per state and exponent plus a zero, and each matrix is
 * one gather from that table, so the parameters enter through a handful of small operations. Layout
 * of inputs and states: {@code (n, 2 * chunkLength, columns)}, rows {@code 0..T-1} the real parts
 * and {@code T..2T-1} the imaginary parts of the steps of a chunk; {@code columns = sequences *
 * chunks}, column {@code m = sequence * chunks + chunk}.
 */
final class ChunkedDiagonalScan {

    /**
     * The longest input scanned as one chunk by default. Measured on the 2-core CPU (one sequence,
     * n = 64, 64 features, forward with a state): one chunk took 270-285 us against 345-365 us for
     * chunks of {@code ceil(sqrt(L))} at L = 4, 245 against 340-375 at L = 8, 280 against 290-315
     * at L = 16, and 460-500 against 340 at L = 32.
     */
    static final int SINGLE_CHUNK_LENGTH = 16;

    private final int chunkLength;
    private final int chunks;

    /**
     * The number of exponents in the power table: {@code 0..T} for the in-chunk matrices, then
     * {@code T j} for {@code 2 <= j <= chunks - 1} for the carry level (the largest one only for an
     * initial state).
     */
    private final int powers;

    /**
     * Creates a scan for a padded sequence of {@code chunks * chunkLength} steps.
     *
     * @param chunkLength the steps per chunk
     * @param chunks the number of chunks
     */
    ChunkedDiagonalScan(int chunkLength, int chunks) {
        this.chunkLength = chunkLength;
        this.chunks = chunks;
        this.powers = chunkLength + 1 + Math.max(0, chunks - 2);
    }

    /**
     * Chooses the chunk length for a sequence length: {@code ceil(sqrt(L))}. The in-chunk work
     * grows with {@code T} and the carry work with {@code (L / T)^2}; on CPU, at L = 784 and n =
     * 256, T = 28 measured fastest among 8, 16, 28 and 49 (see BENCHMARKS.md), and still does on
     * two threads with the carry folded into the in-chunk product (16 is faster only on one).
     *
     * <p>Up to {@link #SINGLE_CHUNK_LENGTH} steps (a step-wise or chunk-wise run of a trained
     * model) the whole input is one chunk: no carry level, fewer operations.
     *
     * @param length the sequence length
     * @return the chunk length, at least 1 and at most {@code length}
     */
    static int chunkLengthFor(int length) {
        if (length <= SINGLE_CHUNK_LENGTH) {
            return Math.max(1, length);
        }
        int t = (int) Math.ceil(Math.sqrt(length));
        return Math.max(1, Math.min(length, t));
    }

    /**
     * Runs the recurrence.
     *
     * @param decay {@code -log|lambda|} per state, shape {@code (n)}, positive
     * @param frequency {@code arg(lambda)} per state, shape {@code (n)}
     * @param drive the input {@code v}, shape {@code (n, 2 * chunkLength, columns)}
     * @param sequences the number of sequences ({@code columns / chunks})
     * @param initial the state before the first step, shape {@code (n, 2, sequences)} (real parts
     *     in row 0, imaginary parts in row 1), or {@code null} for a zero state
     * @return the states, shape {@code (n, 2 * chunkLength, columns)}
     */
    NDArray scan(NDArray decay, NDArray frequency, NDArray drive, long sequences, NDArray initial) {
        boolean carried = initial != null;
        int t = chunkLength;
        if (chunks == 1 && t == 1) {
            return carried ? rotation(decay, frequency).batchMatMul(initial).addi(drive) : drive;
        }
        NDManager manager = drive.getManager();
        NDArray table = powerTable(decay, frequency, manager);
        if (chunks == 1) {
            return carried
                    ? matrix(table, manager, inChunk(true), 2 * t + 2)
                            .batchMatMul(drive.concat(initial, 1))
                    : matrix(table, manager, inChunk(false), 2 * t).batchMatMul(drive);
        }
        long n = decay.getShape().get(0);
        // Ends from a zero entering state, (n, 2, columns), rearranged to one row per sequence
        // with columns (chunk, re/im) for the carry product on the right.
        NDArray ends =
                matrix(table, manager, lastRows(), 2 * t)
                        .batchMatMul(drive)
                        .reshape(n, 2, sequences, chunks)
                        .transpose(0, 2, 3, 1)
                        .reshape(n, sequences, 2L * chunks);
        if (carried) {
            // The initial state is the end of a chunk -1, first in the row.
            ends = initial.transpose(0, 2, 1).concat(ends, 2);
        }
        // carry_c as (n, 2, columns): a transposed view, copied once by the concatenation below.
        NDArray carry =
                ends.batchMatMul(matrix(table, manager, carryLevel(carried), 2 * chunks))
                        .reshape(n, sequences * chunks, 2)
                        .transpose(0, 2, 1);
        return matrix(table, manager, inChunk(true), 2 * t + 2).batchMatMul(drive.concat(carry, 1));
    }

    /**
     * Reads the state after one step out of the states of {@link #scan}.
     *
     * @param states the states, shape {@code (n, 2 * chunkLength, sequences * chunks)}
     * @param step the step, {@code 0 <= step < chunks * chunkLength}
     * @param sequences the number of sequences
     * @return the state after {@code step}, shape {@code (n, 2, sequences)}
     */
    NDArray stateAt(NDArray states, int step, long sequences) {
        long n = states.getShape().get(0);
        return states.reshape(n, 2, chunkLength, sequences, chunks)
                .get(new NDIndex(":, :, {}, :, {}", step % chunkLength, step / chunkLength));
    }

    /**
     * The real {@code 2 x 2} block {@code [[Re, -Im], [Im, Re]]} of {@code lambda} per state, shape
     * {@code (n, 2, 2)}: one step of the recurrence on states of layout {@code (n, 2, columns)}.
     */
    private static NDArray rotation(NDArray decay, NDArray frequency) {
        NDArray modulus = decay.neg().exp();
        NDArray re = modulus.mul(frequency.cos());
        NDArray im = modulus.mul(frequency.sin());
        return NDArrays.stack(new NDList(re, im.neg(), im, re), 1)
                .reshape(decay.getShape().get(0), 2, 2);
    }

    /**
     * The table of powers per state, shape {@code (n, 3 P + 1)}: {@code Re lambda^e}, {@code Im
     * lambda^e} and {@code -Im lambda^e} for the {@code P} exponents, then a zero.
     */
    private NDArray powerTable(NDArray decay, NDArray frequency, NDManager manager) {
        float[] exponents = new float[powers];
        for (int k = 0; k < powers; k++) {
            exponents[k] = exponent(k);
        }
        NDList lambda = EigenvaluePowers.of(decay, frequency, exponents, manager);
        NDArray im = lambda.get(1);
        NDArray zero = manager.zeros(new Shape(decay.getShape().get(0), 1), decay.getDataType());
        return NDArrays.concat(new NDList(lambda.get(0), im, im.neg(), zero), 1);
    }

    /** The exponent at position {@code k} of the power table. */
    private int exponent(int k) {
        return k <= chunkLength ? k : chunkLength * (k - chunkLength + 1);
    }

    /** The position of {@code lambda^e} in the power table, for an exponent the table holds. */
    private int position(int e) {
        return e <= chunkLength ? e : chunkLength + e / chunkLength - 1;
    }

    /**
     * A batch of real matrices with {@code cols} columns read from the table at {@code index}: a
     * {@code gather} within each state's row of the table, with one index broadcast over the
     * states. Its gradient is a scatter-add; advanced indexing ({@code get}) accumulates its
     * gradient serially, and the three reads of a scan took about three times as long that way
     * (forward and backward on one CPU thread at n = 256, T = 28: 12.5 ms against 4.4 ms).
     */
    private static NDArray matrix(NDArray table, NDManager manager, long[] index, int cols) {
        long n = table.getShape().get(0);
        NDArray positions =
                manager.create(index, new Shape(1, index.length)).broadcast(n, index.length);
        return table.gather(positions, 1).reshape(n, index.length / cols, cols);
    }

    /**
     * Indices of the in-chunk Toeplitz matrix {@code K[t, s] = lambda^(t - s)}, {@code (2T, 2T)},
     * with, if {@code carried}, the columns {@code lambda^(t + 1)} for the entering state's real
     * and imaginary parts: {@code (2T, 2T + 2)}.
     */
    private long[] inChunk(boolean carried) {
        int t = chunkLength;
        int cols = carried ? 2 * t + 2 : 2 * t;
        long[] index = zeroIndex(2 * t * cols);
        for (int row = 0; row < t; row++) {
            for (int s = 0; s <= row; s++) {
                block(index, cols, row, t + row, s, t + s, row - s, false);
            }
            if (carried) {
                block(index, cols, row, t + row, 2 * t, 2 * t + 1, row + 1, false);
            }
        }
        return index;
    }

    /** Indices of the last row of the in-chunk Toeplitz matrix, {@code lambda^(T - 1 - s)}. */
    private long[] lastRows() {
        int t = chunkLength;
        long[] index = zeroIndex(2 * 2 * t);
        for (int s = 0; s < t; s++) {
            block(index, 2 * t, 0, 1, s, t + s, t - 1 - s, false);
        }
        return index;
    }

    /**
     * Indices of the carry matrix {@code lambda^(T (c - 1 - c'))} for {@code c' < c}, transposed to
     * multiply rows of chunk ends with columns {@code (chunk, re/im)} from the right; if {@code
     * carried}, preceded by two rows {@code lambda^(T c)} for the initial state.
     */
    private long[] carryLevel(boolean carried) {
        int cols = 2 * chunks;
        int first = carried ? 2 : 0;
        long[] index = zeroIndex((first + cols) * cols);
        for (int c = 0; c < chunks; c++) {
            if (carried) {
                block(index, cols, 2 * c, 2 * c + 1, 0, 1, chunkLength * c, true);
            }
            for (int from = 0; from < c; from++) {
                block(
                        index,
                        cols,
                        2 * c,
                        2 * c + 1,
                        first + 2 * from,
                        first + 2 * from + 1,
                        chunkLength * (c - 1 - from),
                        true);
            }
        }
        return index;
    }

    /** An index array of {@code size} entries, all pointing at the table's zero. */
    private long[] zeroIndex(int size) {
        long[] index = new long[size];
        Arrays.fill(index, 3L * powers);
        return index;
    }

    /**
     * Writes the real block {@code [[Re, -Im], [Im, Re]]} of {@code lambda^e}, mapping the input
     * parts ({@code inRe, inIm}) to the output parts ({@code outRe, outIm}), into a row-major index
     * matrix of {@code cols} columns; {@code transposed} stores it as its transpose (rows are
     * inputs), for a matrix that multiplies from the right.
     */
    private void block(
            long[] index,
            int cols,
            int outRe,
            int outIm,
            int inRe,
            int inIm,
            int e,
            boolean transposed) {
        long k = position(e);
        int[] outs = {outRe, outRe, outIm, outIm};
        int[] ins = {inRe, inIm, inRe, inIm};
        long[] entries = {k, 2L * powers + k, powers + k, k};
        for (int i = 0; i < 4; i++) {
            int at = transposed ? ins[i] * cols + outs[i] : outs[i] * cols + ins[i];
            index[at] = entries[i];
        }
    }
}
