package io.github.compressm.control;

import org.ejml.data.DMatrixRMaj;

/** Copies an EJML matrix into the {@code double[row][column]} arrays of this package's API. */
final class EjmlRows {

    private EjmlRows() {}

    /**
     * Returns the rows of a matrix.
     *
     * @param m the matrix
     * @return a new array of {@code m.numRows} rows of {@code m.numCols} entries
     */
    static double[][] of(DMatrixRMaj m) {
        double[][] out = new double[m.numRows][m.numCols];
        for (int i = 0; i < m.numRows; i++) {
            System.arraycopy(m.data, i * m.numCols, out[i], 0, m.numCols);
        }
        return out;
    }
}
