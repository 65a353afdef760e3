package io.github.compressm.control;

import io.github.compressm.control.linalg.DenseAlgebra;
import io.github.compressm.control.linalg.DenseMatrix;
import io.github.compressm.control.linalg.DenseSvd;
import io.github.compressm.control.linalg.Spectrum;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * The dense linear algebra of {@link DenseAlgebra} on the EJML matrices of this package. Matrices
 * cross as views ({@link DenseMatrix} shares the entries), so nothing is copied.
 */
final class Kernels {

    private Kernels() {}

    /** Returns {@code x y}. */
    static DMatrixRMaj mult(DMatrixRMaj x, DMatrixRMaj y) {
        return ejml(DenseAlgebra.multiply(dense(x), dense(y)));
    }

    /** Returns {@code x^T y}. */
    static DMatrixRMaj multTransA(DMatrixRMaj x, DMatrixRMaj y) {
        return ejml(DenseAlgebra.multiplyTransposeA(dense(x), dense(y)));
    }

    /** Returns {@code x y^T}. */
    static DMatrixRMaj multTransB(DMatrixRMaj x, DMatrixRMaj y) {
        return ejml(DenseAlgebra.multiplyTransposeB(dense(x), dense(y)));
    }

    /**
     * Returns the rank-revealing factor {@code L}, {@code L L^T = s}, of {@link
     * DenseAlgebra#psdFactor}.
     */
    static DMatrixRMaj psdFactor(DMatrixRMaj s) {
        return ejml(DenseAlgebra.psdFactor(dense(s)));
    }

    /** Returns the inverse of {@code a}, or null if it is singular to working precision. */
    static DMatrixRMaj invert(DMatrixRMaj a) {
        DenseMatrix inverse = DenseAlgebra.invert(dense(a));
        return inverse == null ? null : ejml(inverse);
    }

    /** Returns the thin SVD of {@code m}; the left vectors may be absent unless {@code left}. */
    static DenseSvd svd(DMatrixRMaj m, boolean left) {
        return DenseAlgebra.svd(dense(m), left);
    }

    /** Returns the singular values of {@code m}, descending. */
    static double[] singularValues(DMatrixRMaj m) {
        return DenseAlgebra.singularValues(dense(m));
    }

    /** Returns the spectrum of the square matrix {@code a}. */
    static Spectrum spectrum(DMatrixRMaj a) {
        return DenseAlgebra.spectrum(dense(a));
    }

    /** Returns the solution of {@code X = a X a^T + w}. */
    static DMatrixRMaj solveLyapunov(DMatrixRMaj a, DMatrixRMaj w) {
        return ejml(DenseAlgebra.solveLyapunov(dense(a), dense(w)));
    }

    /** Returns an EJML view of a matrix, sharing its entries; null for null. */
    static DMatrixRMaj ejml(DenseMatrix m) {
        return m == null ? null : DMatrixRMaj.wrap(m.rows(), m.cols(), m.data());
    }

    private static DenseMatrix dense(DMatrixRMaj m) {
        int size = m.getNumElements();
        return new DenseMatrix(
                m.numRows, m.numCols, m.data.length == size ? m.data : Arrays.copyOf(m.data, size));
    }
}
