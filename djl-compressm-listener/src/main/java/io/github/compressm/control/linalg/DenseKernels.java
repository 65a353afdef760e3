package io.github.compressm.control.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * The dense double-precision kernels whose {@code O(n^3)} cost dominates the control math: large
 * matrix products, the SVD of the product of Gramian factors, and the eigendecomposition of a
 * reduced state matrix. Two implementations exist, {@link EjmlKernels} (pure Java) and {@link
 * OpenBlasKernels} (native LAPACK); {@link #active()} is the one chosen for this JVM (see {@link
 * LinearAlgebraBackend}). {@link DenseAlgebra} offers them outside this package.
 */
interface DenseKernels {

    /**
     * Returns the kernels this JVM uses, chosen once by {@link KernelSelection}.
     *
     * @return the active kernels
     * @throws IllegalStateException if {@link LinearAlgebraBackend#PROPERTY} is invalid, or
     *     requires OpenBLAS and it cannot be loaded
     */
    static DenseKernels active() {
        return KernelSelection.active();
    }

    /**
     * Returns which backend these kernels are.
     *
     * @return the backend
     */
    LinearAlgebraBackend backend();

    /**
     * Returns {@code x y}.
     *
     * @param x a {@code m x k} matrix
     * @param y a {@code k x n} matrix
     * @return a new {@code m x n} matrix
     */
    DMatrixRMaj mult(DMatrixRMaj x, DMatrixRMaj y);

    /**
     * Returns {@code x^T y}.
     *
     * @param x a {@code k x m} matrix
     * @param y a {@code k x n} matrix
     * @return a new {@code m x n} matrix
     */
    DMatrixRMaj multTransA(DMatrixRMaj x, DMatrixRMaj y);

    /**
     * Returns {@code x y^T}.
     *
     * @param x a {@code m x k} matrix
     * @param y a {@code n x k} matrix
     * @return a new {@code m x n} matrix
     */
    DMatrixRMaj multTransB(DMatrixRMaj x, DMatrixRMaj y);

    /**
     * Returns the rank-revealing pivoted Cholesky factor of a symmetric positive semi-definite
     * matrix (see {@link PsdFactor}).
     *
     * @param sym the matrix, symmetric with finite entries, not modified
     * @param floor the factorisation stops at the first pivot at or below this value
     * @return {@code L} with {@code L L^T = sym} up to round-off, {@code size x rank}, rows in the
     *     original order
     */
    DMatrixRMaj pivotedCholesky(DMatrixRMaj sym, double floor);

    /**
     * Returns the inverse of a square matrix.
     *
     * @param a the matrix, not modified
     * @return a new matrix, or null if {@code a} is singular to working precision (a zero pivot or
     *     a non-finite result)
     */
    DMatrixRMaj invert(DMatrixRMaj a);

    /**
     * Returns the thin SVD of a matrix with at least one row and one column.
     *
     * @param m the matrix, not modified
     * @param left whether the left singular vectors are needed
     * @return singular values (descending) and vectors; {@link Svd#u()} may be null if {@code left}
     *     is false
     * @throws IllegalStateException if the decomposition fails
     */
    Svd svd(DMatrixRMaj m, boolean left);

    /**
     * Returns the singular values of a matrix with at least one row and one column, without the
     * vectors (several times cheaper than {@link #svd}).
     *
     * @param m the matrix, not modified
     * @return the {@code min(rows, cols)} singular values, descending
     * @throws IllegalStateException if the decomposition fails
     */
    double[] singularValues(DMatrixRMaj m);

    /**
     * Returns the eigenvalues of a real square matrix, with its eigenvectors available on demand.
     *
     * @param a the matrix, not modified
     * @return the spectrum
     * @throws IllegalStateException if the eigenvalue iteration does not converge
     */
    Spectrum spectrum(DMatrixRMaj a);
}
