package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The chunked "state space dual" (SSD) algorithm of Mamba-2 (Dao and Gu, 2024) for a scalar decay
 * per head, in DJL operations: per head {@code h}, with head dimension {@code P} and state size
 * {@code N},
 *
 * <pre>
 *   S_t = a_t S_{t-1} + X_t B_t^T   (P x N),   Y_t = S_t C_t   (P)
 * </pre>
 *
 * with {@code a_t = exp(logA_t)}. Inside a chunk of {@code l} steps the outputs from the chunk's
 * own inputs are one masked product {@code Y = (L o (C B^T)) X} with {@code L_ij = exp(sum of logA
 * over (j, i])} for {@code i >= j} and 0 above the diagonal, taken as differences of a cumulative
 * sum, clamped at 0 before the exponential so that no entry above the diagonal can overflow. The
 * state at each chunk's end (from zero) is a second product; a short loop over the chunks passes
 * the states on, and the state entering a chunk adds {@code exp(cum logA_i) S C_i} to its outputs.
 * Time is never looped over, and every slice along time is a {@code split} or a reshape, so the
 * backward pass stays linear in the length.
 *
 * <p>While a {@link SignalMomentRecorder} records, the states passed from one chunk to the next
 * (all but the final state) are its signal, rows of length {@code N} over sequences, heads and head
 * rows; they pass through one gradient probe before the next chunk uses them, so that after the
 * backward pass the recorder's gradient is the loss gradient with respect to those states.
 */
final class SsdScan {

    private final int chunkLength;

    /**
     * Creates the scan.
     *
     * @param chunkLength the steps per chunk, at least 1; a shorter sequence is one chunk
     */
    SsdScan(int chunkLength) {
        this.chunkLength = chunkLength;
    }

    /**
     * Runs the recurrence over whole sequences.
     *
     * @param x the inputs {@code X_t}, {@code (batch, time, heads, P)}, already scaled by the step
     * @param logA the log decays {@code log a_t}, {@code (batch, time, heads)}, at most 0
     * @param b the input maps {@code B_t}, {@code (batch, time, N)}, shared by the heads
     * @param c the output maps {@code C_t}, {@code (batch, time, N)}, shared by the heads
     * @param initial the state before the first step, {@code (batch, heads, P, N)}, or null for
     *     zero
     * @param recorder the recording of the states passed between chunks, or null for none
     * @return the outputs {@code (batch, time, heads, P)} and the final state {@code (batch, heads,
     *     P, N)}
     */
    NDList run(
            NDArray x,
            NDArray logA,
            NDArray b,
            NDArray c,
            NDArray initial,
            SignalMomentRecorder recorder) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        int length = Math.toIntExact(shape.get(1));
        long heads = shape.get(2);
        long p = shape.get(3);
        long n = b.getShape().get(2);
        int l = Math.min(chunkLength, length);
        int chunks = (length + l - 1) / l;
        long padded = (long) chunks * l;
        if (padded > length) {
            // Steps with no input and no decay (logA = 0) leave the state as it is.
            x = padTime(x, padded);
            logA = padTime(logA, padded);
            b = padTime(b, padded);
            c = padTime(c, padded);
        }
        NDManager manager = x.getManager();
        long d = heads * p;

        // Time-major layouts (batch, chunk, step, ...): heads stay next to their rows, so that the
        // products shared by the heads (with B and C) take all heads as one matrix of width d.
        NDArray xs = x.reshape(batch, chunks, l, heads, p);
        NDArray cumulativeByHead =
                logA.reshape(batch, chunks, l, heads).transpose(0, 1, 3, 2).cumSum(3);
        NDArray cumulative = cumulativeByHead.transpose(0, 1, 3, 2);
        NDArray bs = b.reshape(batch, chunks, l, n);
        NDArray cs = c.reshape(batch, chunks, l, n);

        // Within chunks: (L o (C B^T)) X, L_ij = exp(cum_i - cum_j) on and below the diagonal and
        // 0 above it, where the difference is positive and could overflow: -infinity is added there
        // before the exponential. Both the sum (cum_i + (-cum_j)) and the mask are additions, whose
        // backward passes the gradient on without a pass over the (l x l) arrays of every head,
        // where a clip at 0 and a subtraction each took full-size passes backwards.
        NDArray segments =
                cumulativeByHead
                        .expandDims(4)
                        .add(cumulativeByHead.neg().expandDims(3))
                        .addi(upperTriangleMask(manager, l, x));
        NDArray decay = segments.exp();
        NDArray scores = cs.matMul(bs.transpose(0, 1, 3, 2)).expandDims(2);
        NDArray output = decay.mul(scores).matMul(xs.transpose(0, 1, 3, 2, 4));

        // Each chunk's end state from zero, sum_j exp(cum_last - cum_j) X_j B_j^T, all heads in one
        // (d x l)(l x N) product per chunk, and the chunk's total decay.
        NDArray last = cumulative.get(":, :, " + (l - 1) + ":");
        NDArray toEnd = last.sub(cumulative).exp().expandDims(4);
        NDArray chunkStates =
                xs.mul(toEnd)
                        .reshape(batch, chunks, l, d)
                        .transpose(0, 1, 3, 2)
                        .matMul(bs)
                        .reshape(batch, chunks, heads, p, n);
        NDList local = chunkStates.split(chunks, 1);
        NDList chunkDecays = last.exp().reshape(batch, chunks, heads, 1, 1).split(chunks, 1);

        boolean recording = recorder != null && recorder.isRecording() && chunks > 1;
        NDList probes = null;
        if (recording) {
            Shape passed = new Shape(batch, chunks - 1L, heads, p, n);
            probes =
                    recorder.probeOutput(manager.zeros(passed, x.getDataType()))
                            .split(chunks - 1L, 1);
        }
        NDArray state =
                initial != null
                        ? initial.expandDims(1)
                        : manager.zeros(new Shape(batch, 1, heads, p, n), x.getDataType());
        NDList entering = new NDList(state);
        for (int k = 0; k < chunks; k++) {
            state = chunkDecays.get(k).mul(state).add(local.get(k));
            if (k < chunks - 1) {
                if (probes != null) {
                    state = state.add(probes.get(k));
                }
                entering.add(state);
            }
        }
        NDArray enteringStates = NDArrays.concat(entering, 1);
        if (recording) {
            recorder.recordInput(enteringStates.get(":, 1:"));
        }

        // The entering state's part, exp(cum_i) S C_i: all heads in one (l x N)(N x d) product.
        NDArray carried =
                cs.matMul(enteringStates.reshape(batch, chunks, d, n).transpose(0, 1, 3, 2))
                        .reshape(batch, chunks, l, heads, p)
                        .mul(cumulative.exp().expandDims(4));
        NDArray y = carried.add(output.transpose(0, 1, 3, 2, 4)).reshape(batch, padded, heads, p);
        if (padded > length) {
            y = y.split(new long[] {length}, 1).get(0);
        }
        return new NDList(y, state.squeeze(1));
    }

    private static NDArray padTime(NDArray array, long padded) {
        Shape shape = array.getShape();
        long[] dims = shape.getShape();
        dims[1] = padded - dims[1];
        return array.concat(array.getManager().zeros(new Shape(dims), array.getDataType()), 1);
    }

    /**
     * 0 on and below the diagonal, -infinity above it, {@code (l, l)}, in the type of {@code like}.
     */
    private static NDArray upperTriangleMask(NDManager manager, int l, NDArray like) {
        float[] mask = new float[l * l];
        for (int i = 0; i < l; i++) {
            for (int j = i + 1; j < l; j++) {
                mask[i * l + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(mask, new Shape(l, l)).toType(like.getDataType(), false);
    }
}
