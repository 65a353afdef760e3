package io.github.compressm.control.linalg;

/**
 * A thin singular value decomposition {@code M = U diag(values) V^T} of a {@code rows x cols}
 * matrix, {@code k = min(rows, cols)}, as {@link DenseAlgebra#svd} returns it. Internal, not API.
 *
 * @param values the singular values, descending, length {@code k}
 * @param u the left singular vectors as columns, {@code rows x k}; null if not computed
 * @param v the right singular vectors as columns, {@code cols x k}
 */
public record DenseSvd(double[] values, DenseMatrix u, DenseMatrix v) {

    /** Returns the decomposition of the kernels' {@link Svd}, sharing its arrays. */
    static DenseSvd of(Svd svd) {
        return new DenseSvd(
                svd.values(),
                svd.u() == null ? null : DenseMatrix.of(svd.u()),
                DenseMatrix.of(svd.v()));
    }
}
