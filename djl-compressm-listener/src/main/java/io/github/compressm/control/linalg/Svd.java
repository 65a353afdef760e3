package io.github.compressm.control.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * A thin singular value decomposition {@code M = U diag(values) V^T} of a {@code rows x cols}
 * matrix, {@code k = min(rows, cols)}, on EJML matrices: the result of {@link DenseKernels#svd}.
 *
 * @param values the singular values, descending, length {@code k}
 * @param u the left singular vectors as columns, {@code rows x k}; null if not computed
 * @param v the right singular vectors as columns, {@code cols x k}
 */
record Svd(double[] values, DMatrixRMaj u, DMatrixRMaj v) {}
