package io.github.compressm.control.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * The entry point of this internal package for the control math: the dense kernels of the active
 * backend ({@link LinearAlgebraBackend}), the factor of a positive semi-definite matrix and the
 * Lyapunov solver, on {@link DenseMatrix} values. It is not API and may change without notice; it
 * is public only because the control package calls it.
 *
 * <p>Arguments are not modified; results are new matrices.
 */
public final class DenseAlgebra {

    private DenseAlgebra() {}

    /**
     * Returns {@code x y}.
     *
     * @param x a {@code m x k} matrix
     * @param y a {@code k x n} matrix
     * @return the {@code m x n} product
     * @throws IllegalArgumentException if the inner dimensions differ
     */
    public static DenseMatrix multiply(DenseMatrix x, DenseMatrix y) {
        requireInner("x y", x.cols(), y.rows());
        return DenseMatrix.of(DenseKernels.active().mult(x.ejml(), y.ejml()));
    }

    /**
     * Returns {@code x^T y}.
     *
     * @param x a {@code k x m} matrix
     * @param y a {@code k x n} matrix
     * @return the {@code m x n} product
     * @throws IllegalArgumentException if the row counts differ
     */
    public static DenseMatrix multiplyTransposeA(DenseMatrix x, DenseMatrix y) {
        requireInner("x^T y", x.rows(), y.rows());
        return DenseMatrix.of(DenseKernels.active().multTransA(x.ejml(), y.ejml()));
    }

    /**
     * Returns {@code x y^T}.
     *
     * @param x a {@code m x k} matrix
     * @param y a {@code n x k} matrix
     * @return the {@code m x n} product
     * @throws IllegalArgumentException if the column counts differ
     */
    public static DenseMatrix multiplyTransposeB(DenseMatrix x, DenseMatrix y) {
        requireInner("x y^T", x.cols(), y.cols());
        return DenseMatrix.of(DenseKernels.active().multTransB(x.ejml(), y.ejml()));
    }

    /**
     * Returns the rank-revealing factor {@code L} of a symmetric positive semi-definite matrix,
     * {@code L L^T = S} up to round-off (complete-pivoting Cholesky, LAPACK's {@code dpstrf}).
     *
     * @param s the matrix (only its symmetric part is used)
     * @return {@code L}, {@code size x rank}; {@code size x 0} if {@code S} is (numerically) zero
     * @throws IllegalStateException if {@code S} has a non-finite entry
     */
    public static DenseMatrix psdFactor(DenseMatrix s) {
        return DenseMatrix.of(PsdFactor.factor(s.ejml()));
    }

    /**
     * Returns the inverse of a square matrix.
     *
     * @param a the matrix
     * @return the inverse, or null if {@code a} is singular to working precision
     */
    public static DenseMatrix invert(DenseMatrix a) {
        DMatrixRMaj inverse = DenseKernels.active().invert(a.ejml());
        return inverse == null ? null : DenseMatrix.of(inverse);
    }

    /**
     * Returns the thin SVD of a matrix with at least one row and one column.
     *
     * @param m the matrix
     * @param left whether the left singular vectors are needed
     * @return singular values (descending) and vectors; {@link DenseSvd#u()} may be null if {@code
     *     left} is false
     * @throws IllegalStateException if the decomposition fails
     */
    public static DenseSvd svd(DenseMatrix m, boolean left) {
        return DenseSvd.of(DenseKernels.active().svd(m.ejml(), left));
    }

    /**
     * Returns the singular values of a matrix with at least one row and one column, without the
     * vectors.
     *
     * @param m the matrix
     * @return the {@code min(rows, cols)} singular values, descending
     * @throws IllegalStateException if the decomposition fails
     */
    public static double[] singularValues(DenseMatrix m) {
        return DenseKernels.active().singularValues(m.ejml());
    }

    /**
     * Returns the eigenvalues of a real square matrix, with its eigenvectors on demand.
     *
     * @param a the matrix
     * @return the spectrum
     * @throws IllegalStateException if the eigenvalue iteration does not converge
     */
    public static Spectrum spectrum(DenseMatrix a) {
        return DenseKernels.active().spectrum(a.ejml());
    }

    /**
     * Returns the solution of the discrete Lyapunov (Stein) equation {@code X = A X A^T + W}, by
     * the squared Smith iteration.
     *
     * @param a the square state matrix, spectral radius below 1
     * @param w the right-hand side, same size
     * @return {@code X}
     * @throws IllegalArgumentException if the sizes disagree or {@code A} is not stable
     */
    public static DenseMatrix solveLyapunov(DenseMatrix a, DenseMatrix w) {
        return DenseMatrix.of(LyapunovSolver.solve(a.ejml(), w.ejml()));
    }

    private static void requireInner(String product, int left, int right) {
        if (left != right) {
            throw new IllegalArgumentException(
                    "The product "
                            + product
                            + " needs equal inner dimensions, got "
                            + left
                            + " and "
                            + right);
        }
    }
}
