package io.github.compressm.control;

import io.github.compressm.control.linalg.DenseSvd;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The square-root balancing transformation of two Gramians, whatever system they belong to.
 *
 * <p>With {@code P = Lc Lc^T}, {@code Q = Lo Lo^T} ({@link Kernels#psdFactor}, robust to
 * near-singular Gramians) and the SVD {@code Lo^T Lc = U S V^T}, the Hankel singular values are the
 * diagonal of {@code S}, and {@code T = Lc V S^{-1/2}}, {@code T^{-1} = S^{-1/2} U^T Lo^T} balance
 * the system: in the coordinates {@code x = T x~} both Gramians equal {@code diag(sigma)}.
 * Coordinates whose Hankel singular value is numerically zero ({@code sigma_k <=}{@link
 * #RELATIVE_RANK_TOLERANCE}{@code * sigma_1}) are uncontrollable or unobservable and cannot be
 * balanced (the transformation would divide by {@code sqrt(sigma_k)}); no projection may keep more
 * coordinates than the numerical order {@link #getNumericalOrder()}.
 */
final class SquareRootBalancing {

    /** Hankel singular values at or below this fraction of the largest count as zero. */
    static final double RELATIVE_RANK_TOLERANCE = 1e-12;

    /**
     * Kept Hankel singular values at or above this fraction of the largest let the left singular
     * vectors come from the right ones ({@code U_S = M V_S S^-1}, error amplified by at most {@code
     * sigma_1 / sigma_min}); below it the full SVD supplies them.
     */
    static final double DERIVED_LEFT_VECTORS_RATIO = 1e-3;

    private final double[] hsv;
    private final int numericalOrder;
    private final DMatrixRMaj lc;
    private final DMatrixRMaj lo;
    private final DMatrixRMaj m;
    private final DMatrixRMaj v;
    private DenseSvd full;

    /**
     * The kept columns of {@code T} and rows of {@code T^{-1}}.
     *
     * @param t {@code T_S = Lc V_S S_S^{-1/2}}, {@code size x r}
     * @param tinv {@code T_S^+ = S_S^{-1/2} U_S^T Lo^T}, {@code r x size}
     */
    record Projection(DMatrixRMaj t, DMatrixRMaj tinv) {}

    /**
     * Balances two Gramians of the same size.
     *
     * @param p the controllability Gramian, symmetric positive semi-definite
     * @param q the observability Gramian, symmetric positive semi-definite
     * @throws IllegalArgumentException if their sizes differ
     */
    SquareRootBalancing(DMatrixRMaj p, DMatrixRMaj q) {
        if (p.numRows != q.numRows) {
            throw new IllegalArgumentException(
                    "Gramians of different sizes: " + p.numRows + " and " + q.numRows);
        }
        int order = p.numRows;
        this.lc = Kernels.psdFactor(p);
        this.lo = Kernels.psdFactor(q);
        this.hsv = new double[order];
        int rc = lc.numCols;
        int ro = lo.numCols;
        int s = Math.min(rc, ro);
        if (s == 0) {
            this.m = new DMatrixRMaj(ro, rc);
            this.v = new DMatrixRMaj(rc, 0);
            this.numericalOrder = 0;
            return;
        }
        this.m = Kernels.multTransA(lo, lc);
        // Singular values and right vectors: the left ones follow from them for the states a
        // projection keeps, which saves a third of a pure-Java SVD.
        DenseSvd svd = Kernels.svd(m, false);
        double[] sv = svd.values();
        int count = sv.length;
        System.arraycopy(sv, 0, hsv, 0, count);
        int k = 0;
        double threshold = RELATIVE_RANK_TOLERANCE * hsv[0];
        while (k < count && hsv[k] > threshold && hsv[k] > Double.MIN_NORMAL) {
            k++;
        }
        this.numericalOrder = k;
        this.v = Kernels.ejml(svd.v());
        this.full = svd.u() != null ? svd : null;
    }

    /**
     * Computes only the Hankel singular values of two Gramians, without the singular vectors a
     * projection needs.
     *
     * @param p the controllability Gramian
     * @param q the observability Gramian
     * @return {@code sigma}, descending, one per state (numerically zero ones included)
     */
    static double[] hankelSingularValues(DMatrixRMaj p, DMatrixRMaj q) {
        DMatrixRMaj lc = Kernels.psdFactor(p);
        DMatrixRMaj lo = Kernels.psdFactor(q);
        double[] hsv = new double[p.numRows];
        if (lc.numCols > 0 && lo.numCols > 0) {
            double[] values = Kernels.singularValues(Kernels.multTransA(lo, lc));
            System.arraycopy(values, 0, hsv, 0, values.length);
        }
        return hsv;
    }

    /**
     * Returns the Hankel singular values, descending, one per state (numerically zero ones
     * included, possibly as exact zeros).
     *
     * @return a copy of {@code sigma}
     */
    double[] getHankelSingularValues() {
        return hsv.clone();
    }

    /**
     * Returns the number of Hankel singular values above {@link #RELATIVE_RANK_TOLERANCE} times the
     * largest: the numerical minimal order and the most coordinates any projection may keep.
     *
     * @return the numerical order, 0 for a zero input-output map
     */
    int getNumericalOrder() {
        return numericalOrder;
    }

    /**
     * Returns the balancing transformation restricted to the given balanced coordinates. Only the
     * kept columns are formed, so the cost is {@code O(size^2 |S|)}.
     *
     * @param states distinct indices into the descending Hankel singular values, each below {@link
     *     #getNumericalOrder()}
     * @return the projection, coordinates in the given order
     * @throws IllegalArgumentException if the indices are empty, repeated or out of range
     */
    Projection project(int[] states) {
        requireOrder(states.length);
        boolean[] seen = new boolean[numericalOrder];
        for (int s : states) {
            if (s < 0 || s >= numericalOrder) {
                throw new IllegalArgumentException(
                        "Balanced state index "
                                + s
                                + " is outside [0, "
                                + numericalOrder
                                + "): only states with non-zero Hankel singular values can be"
                                + " kept");
            }
            if (seen[s]) {
                throw new IllegalArgumentException("Balanced state index " + s + " is repeated");
            }
            seen[s] = true;
        }
        int r = states.length;
        double[] scale = new double[r];
        for (int i = 0; i < r; i++) {
            scale[i] = 1 / Math.sqrt(hsv[states[i]]);
        }
        double smallest = Double.POSITIVE_INFINITY;
        for (int st : states) {
            smallest = Math.min(smallest, hsv[st]);
        }
        boolean derived = full == null && smallest >= DERIVED_LEFT_VECTORS_RATIO * hsv[0];
        DMatrixRMaj right = derived ? v : Kernels.ejml(fullSvd().v());
        // T_S = Lc V_S S^-1/2 (size x r)
        DMatrixRMaj vs = new DMatrixRMaj(right.numRows, r);
        CommonOps_DDRM.extract(right, rowsOf(right), right.numRows, states, r, vs);
        DMatrixRMaj t = Kernels.mult(lc, vs);
        CommonOps_DDRM.multCols(t, scale);
        // T_S^+ = S^-1/2 U_S^T Lo^T (r x size). For kept values well above round-off U_S = M V_S
        // S^-1 is as accurate as the SVD's own U; for tiny ones the full SVD supplies U_S.
        DMatrixRMaj us;
        if (derived) {
            us = Kernels.mult(m, vs);
            double[] inverse = new double[r];
            for (int i = 0; i < r; i++) {
                inverse[i] = 1 / hsv[states[i]];
            }
            CommonOps_DDRM.multCols(us, inverse);
        } else {
            DMatrixRMaj left = Kernels.ejml(fullSvd().u());
            us = new DMatrixRMaj(left.numRows, r);
            CommonOps_DDRM.extract(left, rowsOf(left), left.numRows, states, r, us);
        }
        DMatrixRMaj tinv = Kernels.multTransB(CommonOps_DDRM.transpose(us, null), lo);
        CommonOps_DDRM.multRows(scale, tinv);
        return new Projection(t, tinv);
    }

    /**
     * Returns the SVD of {@code M} with left and right vectors: the one from construction when the
     * kernels supplied left vectors, else computed on first use (only projections keeping tiny
     * Hankel singular values need it then).
     */
    private DenseSvd fullSvd() {
        if (full == null) {
            full = Kernels.svd(m, true);
        }
        return full;
    }

    private static int[] rowsOf(DMatrixRMaj m) {
        int[] rows = new int[m.numRows];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /**
     * Checks that a projection may keep this many coordinates.
     *
     * @param order the number of coordinates
     * @throws IllegalArgumentException if it is outside {@code [1, getNumericalOrder()]}
     */
    void requireOrder(int order) {
        if (order < 1 || order > numericalOrder) {
            throw new IllegalArgumentException(
                    "Cannot keep "
                            + order
                            + " balanced states: the valid range is [1, "
                            + numericalOrder
                            + "], the system's numerical minimal order (Hankel singular values"
                            + " above "
                            + RELATIVE_RANK_TOLERANCE
                            + " times the largest)");
        }
    }
}
