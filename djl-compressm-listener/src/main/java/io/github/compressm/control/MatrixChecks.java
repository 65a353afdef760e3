package io.github.compressm.control;

import org.ejml.data.DMatrixRMaj;

/** Checks the {@code double[row][column]} matrices this package takes: their shape and entries. */
final class MatrixChecks {

    private MatrixChecks() {}

    /**
     * Checks that a matrix is square with finite entries and copies it.
     *
     * @param name the matrix's name, for the message, e.g. {@code "state moment"}
     * @param matrix the matrix
     * @param shape its shape in words, for the message, e.g. {@code "N x N for a state of size N"}
     * @param fix what to do about a non-finite entry, for the message
     * @return a copy of the matrix
     * @throws IllegalArgumentException if it is null or empty, not square, or an entry is NaN or
     *     infinite
     */
    static DMatrixRMaj square(String name, double[][] matrix, String shape, String fix) {
        if (matrix == null || matrix.length == 0) {
            throw new IllegalArgumentException(
                    "The " + name + " is empty: it must be " + shape + " with at least one row");
        }
        int size = matrix.length;
        DMatrixRMaj out = new DMatrixRMaj(size, size);
        for (int i = 0; i < size; i++) {
            if (matrix[i].length != size) {
                throw new IllegalArgumentException(
                        "The "
                                + name
                                + " must be square, "
                                + shape
                                + ": row "
                                + i
                                + " has "
                                + matrix[i].length
                                + " entries for "
                                + size
                                + " rows");
            }
        }
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double v = matrix[i][j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(
                            "The "
                                    + name
                                    + " has a non-finite entry at ("
                                    + i
                                    + ", "
                                    + j
                                    + "), "
                                    + v
                                    + ": "
                                    + fix);
                }
                out.set(i, j, v);
            }
        }
        return out;
    }
}
