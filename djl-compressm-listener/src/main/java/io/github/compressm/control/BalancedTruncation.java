package io.github.compressm.control;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Balanced truncation of a real system by the square-root method ({@link SquareRootBalancing}):
 * with the balancing transformation {@code T} the balanced realisation is {@code (T^{-1} A T,
 * T^{-1} B, C T)}, whose Gramians both equal {@code diag(sigma)}. Truncation keeps a subset of its
 * coordinates; keeping the leading {@code r} guarantees {@code ||G - G_r||_inf <= 2 sum_{k > r}
 * sigma_k}. The balanced realisation has the numerical minimal order {@link #getNumericalOrder()},
 * and no truncation may keep more states than that.
 */
final class BalancedTruncation {

    private final RealSystem system;
    private final SquareRootBalancing balancing;
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
        this.balancing = new SquareRootBalancing(gramians.p(), gramians.q());
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
        return SquareRootBalancing.hankelSingularValues(gramians.p(), gramians.q());
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
        return balancing.getHankelSingularValues();
    }

    /**
     * Returns the number of Hankel singular values above {@link
     * SquareRootBalancing#RELATIVE_RANK_TOLERANCE} times the largest: the numerical minimal order
     * and the most states any truncation may keep.
     *
     * @return the numerical order, 0 for a system with a zero input-output map
     */
    int getNumericalOrder() {
        return balancing.getNumericalOrder();
    }

    /**
     * Returns the balanced realisation of numerical minimal order.
     *
     * @return the balanced system of order {@link #getNumericalOrder()}
     * @throws IllegalStateException if the input-output map is zero or the result is not finite
     */
    RealSystem getBalancedSystem() {
        if (getNumericalOrder() == 0) {
            throw new IllegalStateException(
                    "The system's input-output map is zero (all Hankel singular values vanish):"
                            + " there is nothing to balance");
        }
        return truncate(getNumericalOrder());
    }

    /**
     * Returns the balanced truncation to the leading {@code order} states.
     *
     * @param order the number of states to keep, in {@code [1, getNumericalOrder()]}
     * @return the reduced balanced system
     * @throws IllegalArgumentException if {@code order} is out of range
     */
    RealSystem truncate(int order) {
        balancing.requireOrder(order);
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
        if (cachedStates != null && Arrays.equals(cachedStates, states)) {
            return cachedSystem;
        }
        SquareRootBalancing.Projection projection = balancing.project(states);
        DMatrixRMaj t = projection.t();
        DMatrixRMaj tinv = projection.tinv();
        DMatrixRMaj ab = Kernels.mult(tinv, multiplyA(t));
        DMatrixRMaj bb = CommonOps_DDRM.mult(tinv, system.getB(), null);
        DMatrixRMaj cb = CommonOps_DDRM.mult(system.getC(), t, null);
        for (DMatrixRMaj m : new DMatrixRMaj[] {ab, bb, cb}) {
            for (int i = 0; i < m.getNumElements(); i++) {
                if (!Double.isFinite(m.data[i])) {
                    throw new IllegalStateException(
                            "Balancing produced a non-finite entry: the Gramians are too"
                                    + " ill-conditioned (largest Hankel singular value "
                                    + balancing.getHankelSingularValues()[0]
                                    + ")");
                }
            }
        }
        cachedStates = states.clone();
        cachedSystem = new RealSystem(ab, bb, cb);
        return cachedSystem;
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
}
