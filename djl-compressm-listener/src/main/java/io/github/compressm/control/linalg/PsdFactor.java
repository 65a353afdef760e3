package io.github.compressm.control.linalg;

import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Factors a symmetric positive semi-definite matrix as {@code S = L L^T}, robustly for the
 * near-singular Gramians of real layers.
 *
 * <p>The factor comes from a Cholesky decomposition with complete (diagonal) pivoting, the
 * rank-revealing variant of LAPACK's {@code dpstrf}: each step takes the largest remaining diagonal
 * entry of the Schur complement as the pivot and stops once every remaining one is at or below
 * round-off level ({@code size * eps * max_i S_ii}; slightly negative ones from round-off
 * included). {@code L} keeps the rows in the original order, so {@code L L^T = S + E} with {@code
 * |E|} of round-off size relative to {@code S}, and it has as many columns as {@code S} has
 * numerical rank. A singular Gramian (a state that no input reaches, or the fast Hankel singular
 * value decay of a layer with few inputs) therefore costs less than a regular one: {@code O(size *
 * rank^2)} instead of {@code O(size^3)}, and every later step works on {@code rank}-sized factors.
 * The native kernels ({@link DenseKernels}) run LAPACK's {@code dpstrf} itself; in pure Java,
 * columns are computed left-looking (one matrix-vector product per step, over contiguous rows), on
 * two threads for large matrices.
 */
final class PsdFactor {

    /**
     * Work per step (rows times computed columns) above which the rows are split across threads.
     */
    private static final long PARALLEL_WORK = 1L << 17;

    private PsdFactor() {}

    /**
     * Returns {@code L} with {@code L L^T = S} up to round-off.
     *
     * @param s a symmetric positive semi-definite matrix (only its symmetric part is used)
     * @return {@code L}, {@code size x rank}; {@code size x 0} if {@code S} is (numerically) zero
     * @throws IllegalStateException if {@code S} has a non-finite entry
     */
    static DMatrixRMaj factor(DMatrixRMaj s) {
        int n = s.numRows;
        DMatrixRMaj sym = new DMatrixRMaj(n, n);
        CommonOps_DDRM.transpose(s, sym);
        CommonOps_DDRM.addEquals(sym, s);
        CommonOps_DDRM.scale(0.5, sym);
        double maxDiag = 0;
        for (int i = 0; i < n; i++) {
            maxDiag = Math.max(maxDiag, sym.get(i, i));
        }
        for (double v : sym.data) {
            if (!Double.isFinite(v)) {
                throw new IllegalStateException(
                        "A " + n + "x" + n + " Gramian has a non-finite entry (" + v + ")");
            }
        }
        if (!(maxDiag > 0)) {
            return new DMatrixRMaj(n, 0);
        }
        return DenseKernels.active().pivotedCholesky(sym, n * Math.ulp(1.0) * maxDiag);
    }

    /**
     * The pure-Java factorisation: left-looking pivoted Cholesky of a symmetric matrix.
     *
     * @param sym a symmetric positive semi-definite matrix with finite entries
     * @param floor pivots at or below this end the factorisation
     * @return {@code L}, {@code size x rank}, rows in the original order
     */
    static DMatrixRMaj pivotedCholesky(DMatrixRMaj sym, double floor) {
        int n = sym.numRows;
        double[] a = sym.data;
        double[] residual = new double[n];
        for (int i = 0; i < n; i++) {
            residual[i] = a[i * n + i];
        }
        // Row i of f holds row i of L (original order); columns beyond the step are zero.
        double[] f = new double[n * n];
        // Rows not yet pivoted, compacted after every step.
        int[] rest = new int[n];
        for (int i = 0; i < n; i++) {
            rest[i] = i;
        }
        int remaining = n;
        int rank = 0;
        while (remaining > 0) {
            int best = 0;
            for (int t = 1; t < remaining; t++) {
                if (residual[rest[t]] > residual[rest[best]]) {
                    best = t;
                }
            }
            int p = rest[best];
            double pivot = residual[p];
            if (!(pivot > floor)) {
                break;
            }
            rest[best] = rest[--remaining];
            double root = Math.sqrt(pivot);
            int k = rank;
            f[p * n + k] = root;
            int[] rows = rest;
            int count = remaining;
            double inv = 1 / root;
            if ((long) count * k > PARALLEL_WORK) {
                int half = count / 2;
                IntStream.range(0, 2)
                        .parallel()
                        .forEach(
                                part ->
                                        column(
                                                a,
                                                f,
                                                residual,
                                                rows,
                                                part == 0 ? 0 : half,
                                                part == 0 ? half : count,
                                                p,
                                                k,
                                                n,
                                                inv));
            } else {
                column(a, f, residual, rows, 0, count, p, k, n, inv);
            }
            rank++;
        }
        DMatrixRMaj l = new DMatrixRMaj(n, rank);
        for (int i = 0; i < n; i++) {
            System.arraycopy(f, i * n, l.data, i * rank, rank);
        }
        return l;
    }

    /**
     * Computes column {@code k} of {@code L} for rows {@code rows[from..to)}: {@code L_ik = (S_ip -
     * L_i,:k . L_p,:k) / L_pk}, and downdates their residual diagonal.
     */
    private static void column(
            double[] a,
            double[] f,
            double[] residual,
            int[] rows,
            int from,
            int to,
            int p,
            int k,
            int n,
            double inv) {
        int pr = p * n;
        for (int t = from; t < to; t++) {
            int i = rows[t];
            int ir = i * n;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int j = 0;
            for (; j + 3 < k; j += 4) {
                s0 += f[ir + j] * f[pr + j];
                s1 += f[ir + j + 1] * f[pr + j + 1];
                s2 += f[ir + j + 2] * f[pr + j + 2];
                s3 += f[ir + j + 3] * f[pr + j + 3];
            }
            for (; j < k; j++) {
                s0 += f[ir + j] * f[pr + j];
            }
            double v = (a[ir + p] - ((s0 + s1) + (s2 + s3))) * inv;
            f[ir + k] = v;
            residual[i] -= v * v;
        }
    }
}
