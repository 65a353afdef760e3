package io.github.compressm.control.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;

/**
 * Solves the discrete Lyapunov (Stein) equation {@code X = A X A^T + W} for a dense real stable
 * {@code A} by the squared Smith iteration.
 *
 * <p>The iteration {@code X_{k+1} = X_k + A_k X_k A_k^T}, {@code A_{k+1} = A_k^2} doubles the
 * number of summed terms of {@code X = sum_t A^t W (A^t)^T} per step, so it needs about {@code
 * log2(log(eps) / log(rho(A)))} steps of {@code O(n^3)} each (15 for a spectral radius of 0.999).
 * The control math uses it for the Gramians of dense realisations and as a cross-check of the
 * closed forms for diagonal ones; diagonal layers never need it.
 */
final class LyapunovSolver {

    /** Relative size of the last added term below which the iteration stops. */
    static final double TOLERANCE = 1e-15;

    /** Maximum number of squaring steps (covers spectral radii up to {@code 1 - 1e-12}). */
    static final int MAX_ITERATIONS = 64;

    private LyapunovSolver() {}

    /**
     * Returns the solution of {@code X = A X A^T + W}.
     *
     * @param a the square state matrix, spectral radius below 1
     * @param w the right-hand side, same size (symmetric for Gramians)
     * @return {@code X}
     * @throws IllegalArgumentException if the sizes disagree or the iteration does not converge
     *     (then {@code A} is not stable)
     */
    static DMatrixRMaj solve(DMatrixRMaj a, DMatrixRMaj w) {
        int n = a.numRows;
        if (a.numCols != n || w.numRows != n || w.numCols != n) {
            throw new IllegalArgumentException(
                    "A and W must be square of the same size, got "
                            + a.numRows
                            + "x"
                            + a.numCols
                            + " and "
                            + w.numRows
                            + "x"
                            + w.numCols);
        }
        DMatrixRMaj x = w.copy();
        DMatrixRMaj ak = a.copy();
        DMatrixRMaj tmp = new DMatrixRMaj(n, n);
        DMatrixRMaj term = new DMatrixRMaj(n, n);
        DMatrixRMaj square = new DMatrixRMaj(n, n);
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            CommonOps_DDRM.mult(ak, x, tmp);
            CommonOps_DDRM.multTransB(tmp, ak, term);
            CommonOps_DDRM.addEquals(x, term);
            double termNorm = NormOps_DDRM.normF(term);
            double xNorm = NormOps_DDRM.normF(x);
            if (!Double.isFinite(xNorm)) {
                break;
            }
            if (termNorm <= TOLERANCE * xNorm) {
                return x;
            }
            CommonOps_DDRM.mult(ak, ak, square);
            DMatrixRMaj t = ak;
            ak = square;
            square = t;
        }
        throw new IllegalArgumentException(
                "The Lyapunov iteration did not converge in "
                        + MAX_ITERATIONS
                        + " squaring steps: A is not stable (spectral radius >= 1)");
    }
}
