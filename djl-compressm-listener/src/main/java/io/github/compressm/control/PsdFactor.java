package io.github.compressm.control;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Factors a symmetric positive semi-definite matrix as {@code S = L L^T}, robustly for the
 * near-singular Gramians of real layers.
 *
 * <p>Cholesky is tried first: when it completes, its factor is backward stable ({@code L L^T = S +
 * E} with {@code |E|} of round-off size relative to {@code S}) even for nearly singular {@code S},
 * and it costs a tenth of an eigendecomposition. When it breaks down (a pivot at or below zero:
 * {@code S} is singular to working precision, e.g. a state that no input reaches), the factor comes
 * from the symmetric eigendecomposition instead: eigenvalues at or below round-off level ({@code
 * size * eps * lambda_max}, including the slightly negative ones round-off produces) are dropped
 * with their eigenvectors, so {@code L} has as many columns as {@code S} has numerical rank.
 */
final class PsdFactor {

    private PsdFactor() {}

    /**
     * Returns {@code L} with {@code L L^T = S} up to round-off.
     *
     * @param s a symmetric positive semi-definite matrix (only its symmetric part is used)
     * @return {@code L}, {@code size x rank}; {@code size x 0} if {@code S} is (numerically) zero
     * @throws IllegalStateException if the eigendecomposition fails
     */
    static DMatrixRMaj factor(DMatrixRMaj s) {
        int n = s.numRows;
        DMatrixRMaj sym = new DMatrixRMaj(n, n);
        CommonOps_DDRM.transpose(s, sym);
        CommonOps_DDRM.addEquals(sym, s);
        CommonOps_DDRM.scale(0.5, sym);
        DMatrixRMaj chol = cholesky(sym);
        if (chol != null) {
            return chol;
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(sym)) {
            throw new IllegalStateException(
                    "Symmetric eigendecomposition of a " + n + "x" + n + " Gramian failed");
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, eig.getEigenvalue(i).real);
        }
        double floor = n * Math.ulp(1.0) * max;
        int rank = 0;
        for (int i = 0; i < n; i++) {
            if (eig.getEigenvalue(i).real > floor) {
                rank++;
            }
        }
        DMatrixRMaj l = new DMatrixRMaj(n, rank);
        int col = 0;
        for (int i = 0; i < n; i++) {
            double value = eig.getEigenvalue(i).real;
            if (value > floor) {
                double scale = Math.sqrt(value);
                DMatrixRMaj v = eig.getEigenVector(i);
                for (int r = 0; r < n; r++) {
                    l.unsafe_set(r, col, v.data[r] * scale);
                }
                col++;
            }
        }
        return l;
    }

    /** Returns the lower Cholesky factor, or null if a pivot is not safely positive. */
    private static DMatrixRMaj cholesky(DMatrixRMaj sym) {
        int n = sym.numRows;
        double maxDiag = 0;
        for (int i = 0; i < n; i++) {
            maxDiag = Math.max(maxDiag, sym.get(i, i));
        }
        if (!(maxDiag > 0)) {
            return null;
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        if (!chol.decompose(sym.copy())) {
            return null;
        }
        DMatrixRMaj l = chol.getT(null);
        // A pivot at round-off level means S is singular to working precision: the rows below it
        // would carry amplified noise, so use the eigendecomposition.
        double floor = n * Math.ulp(1.0) * maxDiag;
        for (int i = 0; i < n; i++) {
            double d = l.get(i, i);
            if (!(d * d > floor)) {
                return null;
            }
        }
        for (int i = 0; i < l.getNumElements(); i++) {
            if (!Double.isFinite(l.data[i])) {
                return null;
            }
        }
        return l;
    }
}
