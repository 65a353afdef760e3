package io.github.compressm.control;

import io.github.compressm.control.linalg.DenseSvd;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Balanced truncation of a real system by the square-root method.
 *
 * <p>With {@code P = Lc Lc^T}, {@code Q = Lo Lo^T} ({@link Kernels#psdFactor}, robust to
 * near-singular Gramians) and the SVD {@code Lo^T Lc = U S V^T}, the Hankel singular values are the
 * diagonal of {@code S}, and {@code T = Lc V S^{-1/2}}, {@code T^{-1} = S^{-1/2} U^T Lo^T} give the
 * balanced realisation {@code (T^{-1} A T, T^{-1} B, C T)} whose Gramians both equal {@code
 * diag(sigma)}. Truncation keeps a subset of its coordinates; keeping the leading {@code r}
 * guarantees {@code ||G - G_r||_inf <= 2 sum_{k > r} sigma_k}.
 *
 * <p>Coordinates whose Hankel singular value is numerically zero ({@code sigma_k <=}{@link
 * #RELATIVE_RANK_TOLERANCE}{@code * sigma_1}) are uncontrollable or unobservable and cannot be
 * balanced (the transformation would divide by {@code sqrt(sigma_k)}); the balanced realisation
 * therefore has the numerical minimal order {@link #getNumericalOrder()}, and no truncation may
 * keep more states than that.
 */
final class BalancedTruncation {

    /** Hankel singular values at or below this fraction of the largest count as zero. */
    static final double RELATIVE_RANK_TOLERANCE = 1e-12;

    /**
     * Kept Hankel singular values at or above this fraction of the largest let the left singular
     * vectors come from the right ones ({@code U_S = M V_S S^-1}, error amplified by at most {@code
     * sigma_1 / sigma_min}); below it the full SVD supplies them.
     */
    static final double DERIVED_LEFT_VECTORS_RATIO = 1e-3;

    private final RealSystem system;
    private final double[] hsv;
    private final int numericalOrder;
    private final DMatrixRMaj lc;
    private final DMatrixRMaj lo;
    private final DMatrixRMaj m;
    private final DMatrixRMaj v;
    private DenseSvd full;
    private final boolean blockDiagonal;
    private int[] cachedStates;
    private RealSystem cachedSystem;

    private BalancedTruncation(RealSystem system, Gramians gramians) {
        int order = system.getOrder();
        if (gramians.p().numRows != order) {
            throw new IllegalArgumentException(
                    "Gramians are "
                            + gramians.p().numRows
                            + "x"
                            + gramians.p().numRows
                            + " but the system has order "
                            + order);
        }
        this.system = system;
        this.blockDiagonal = isBlockDiagonal2(system.getA());
        this.lc = Kernels.psdFactor(gramians.p());
        this.lo = Kernels.psdFactor(gramians.q());
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
        // truncation keeps (see truncate), which saves a third of a pure-Java SVD.
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
     * Prepares balanced truncation of a system with given Gramians.
     *
     * @param system the system
     * @param gramians its Gramians (for {@link GramianMode#COMPLEX_OUTPUT_REFERENCE}, the
     *     reference's Gramians instead)
     * @return the balancing, with Hankel singular values computed
     */
    static BalancedTruncation of(RealSystem system, Gramians gramians) {
        return new BalancedTruncation(system, gramians);
    }

    /**
     * Computes only the Hankel singular values of a system with given Gramians: the values of
     * {@link #of(RealSystem, Gramians)}, without the singular vectors a truncation needs.
     *
     * @param gramians the system's Gramians
     * @return {@code sigma}, descending, one per state (numerically zero ones included)
     */
    static double[] hankelSingularValues(Gramians gramians) {
        int order = gramians.p().numRows;
        DMatrixRMaj lc = Kernels.psdFactor(gramians.p());
        DMatrixRMaj lo = Kernels.psdFactor(gramians.q());
        double[] hsv = new double[order];
        if (lc.numCols > 0 && lo.numCols > 0) {
            double[] values = Kernels.singularValues(Kernels.multTransA(lo, lc));
            System.arraycopy(values, 0, hsv, 0, values.length);
        }
        return hsv;
    }

    /**
     * Prepares balanced truncation of a dense system, solving its Lyapunov equations.
     *
     * @param system the system, {@code A} stable
     * @return the balancing, with Hankel singular values computed
     */
    static BalancedTruncation of(RealSystem system) {
        return new BalancedTruncation(system, Gramians.of(system));
    }

    /**
     * Returns the Hankel singular values, descending, one per state of the system (numerically zero
     * ones included, possibly as exact zeros).
     *
     * @return a copy of {@code sigma}, length {@link RealSystem#getOrder()}
     */
    double[] getHankelSingularValues() {
        return hsv.clone();
    }

    /**
     * Returns the number of Hankel singular values above {@link #RELATIVE_RANK_TOLERANCE} times the
     * largest: the numerical minimal order and the most states any truncation may keep.
     *
     * @return the numerical order, 0 for a system with a zero input-output map
     */
    int getNumericalOrder() {
        return numericalOrder;
    }

    /**
     * Returns the balanced realisation of numerical minimal order.
     *
     * @return the balanced system of order {@link #getNumericalOrder()}
     * @throws IllegalStateException if the input-output map is zero or the result is not finite
     */
    RealSystem getBalancedSystem() {
        if (numericalOrder == 0) {
            throw new IllegalStateException(
                    "The system's input-output map is zero (all Hankel singular values vanish):"
                            + " there is nothing to balance");
        }
        return truncate(numericalOrder);
    }

    /**
     * Returns the balanced truncation to the leading {@code order} states.
     *
     * @param order the number of states to keep, in {@code [1, getNumericalOrder()]}
     * @return the reduced balanced system
     * @throws IllegalArgumentException if {@code order} is out of range
     */
    RealSystem truncate(int order) {
        requireOrder(order);
        int[] states = new int[order];
        for (int i = 0; i < order; i++) {
            states[i] = i;
        }
        return truncate(states);
    }

    /**
     * Returns the restriction of the balanced realisation to the given balanced coordinates: with
     * {@code T_S = Lc V_S S_S^{-1/2}} and {@code T_S^+ = S_S^{-1/2} U_S^T Lo^T}, the system {@code
     * (T_S^+ A T_S, T_S^+ B, C T_S)}. Only the kept columns are formed, so the cost is {@code
     * O(size^2 |S|)}; the last result is cached.
     *
     * @param states distinct indices into the descending Hankel singular values, each below {@link
     *     #getNumericalOrder()}
     * @return the reduced system, states in the given order
     * @throws IllegalArgumentException if the indices are empty, repeated or out of range
     * @throws IllegalStateException if the result is not finite (Gramians too ill-conditioned)
     */
    synchronized RealSystem truncate(int[] states) {
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
        if (cachedStates != null && Arrays.equals(cachedStates, states)) {
            return cachedSystem;
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
        DMatrixRMaj ab = Kernels.mult(tinv, multiplyA(t));
        DMatrixRMaj bb = CommonOps_DDRM.mult(tinv, system.getB(), null);
        DMatrixRMaj cb = CommonOps_DDRM.mult(system.getC(), t, null);
        for (DMatrixRMaj m : new DMatrixRMaj[] {ab, bb, cb}) {
            for (int i = 0; i < m.getNumElements(); i++) {
                if (!Double.isFinite(m.data[i])) {
                    throw new IllegalStateException(
                            "Balancing produced a non-finite entry: the Gramians are too"
                                    + " ill-conditioned (largest Hankel singular value "
                                    + hsv[0]
                                    + ")");
                }
            }
        }
        cachedStates = states.clone();
        cachedSystem = new RealSystem(ab, bb, cb);
        return cachedSystem;
    }

    /**
     * Returns the SVD of {@code M} with left and right vectors: the one from construction when the
     * kernels supplied left vectors, else computed on first use (only truncations keeping tiny
     * Hankel singular values need it then).
     */
    private DenseSvd fullSvd() {
        if (full == null) {
            full = Kernels.svd(m, true);
        }
        return full;
    }

    /** Returns {@code A X}, in {@code O(size * cols)} when {@code A} is 2x2 block diagonal. */
    private DMatrixRMaj multiplyA(DMatrixRMaj x) {
        DMatrixRMaj a = system.getA();
        if (!blockDiagonal) {
            return CommonOps_DDRM.mult(a, x, null);
        }
        int n = a.numRows;
        int cols = x.numCols;
        DMatrixRMaj out = new DMatrixRMaj(n, cols);
        for (int k = 0; k < n; k += 2) {
            double a00 = a.get(k, k);
            double a01 = a.get(k, k + 1);
            double a10 = a.get(k + 1, k);
            double a11 = a.get(k + 1, k + 1);
            for (int j = 0; j < cols; j++) {
                double x0 = x.get(k, j);
                double x1 = x.get(k + 1, j);
                out.set(k, j, a00 * x0 + a01 * x1);
                out.set(k + 1, j, a10 * x0 + a11 * x1);
            }
        }
        return out;
    }

    private static boolean isBlockDiagonal2(DMatrixRMaj a) {
        int n = a.numRows;
        if (n % 2 != 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int block = i / 2;
            for (int j = 0; j < n; j++) {
                if (j / 2 != block && a.get(i, j) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int[] rowsOf(DMatrixRMaj m) {
        int[] rows = new int[m.numRows];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return rows;
    }

    private void requireOrder(int order) {
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
