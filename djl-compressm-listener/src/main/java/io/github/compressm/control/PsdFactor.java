package io.github.compressm.control;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Factors a symmetric positive semi-definite matrix as {@code S = L L^T} through its symmetric
 * eigendecomposition, which unlike Cholesky copes with the near-singular Gramians of real layers.
 *
 * <p>Eigenvalues at or below round-off level ({@code size * eps * lambda_max}, including the
 * slightly negative ones round-off produces) are dropped with their eigenvectors: they carry no
 * information, so {@code L} has only as many columns as {@code S} has numerical rank.
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
}
