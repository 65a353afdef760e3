package io.github.compressm.control.linalg;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * A dense real matrix as its shape and its entries in row-major order: the form in which matrices
 * enter and leave {@link DenseAlgebra}. Like the rest of this package it is internal, not API.
 *
 * <p>The entries are shared, not copied, so handing a matrix over costs nothing; the array's
 * identity (not its content) takes part in {@code equals} and {@code hashCode}.
 *
 * @param rows the number of rows, at least 0
 * @param cols the number of columns, at least 0
 * @param data the entries, row {@code i} at {@code [i * cols, (i + 1) * cols)}; length {@code rows
 *     * cols}
 */
public record DenseMatrix(int rows, int cols, double[] data) {

    /**
     * Checks the shape against the entries.
     *
     * @param rows the number of rows, at least 0
     * @param cols the number of columns, at least 0
     * @param data the entries, row-major, length {@code rows * cols}; not copied
     * @throws IllegalArgumentException if a dimension is negative or {@code data} has not {@code
     *     rows * cols} entries
     */
    public DenseMatrix {
        if (rows < 0 || cols < 0 || data.length != (long) rows * cols) {
            throw new IllegalArgumentException(
                    "A "
                            + rows
                            + "x"
                            + cols
                            + " matrix needs "
                            + (long) rows * cols
                            + " row-major entries, got "
                            + data.length);
        }
    }

    /** Returns a view of an EJML matrix (its entries shared unless its array is larger). */
    static DenseMatrix of(DMatrixRMaj m) {
        int size = m.getNumElements();
        return new DenseMatrix(
                m.numRows, m.numCols, m.data.length == size ? m.data : Arrays.copyOf(m.data, size));
    }

    /** Returns an EJML view of this matrix, sharing the entries. */
    DMatrixRMaj ejml() {
        return DMatrixRMaj.wrap(rows, cols, data);
    }
}
