package io.github.compressm.ssm;

/** Checks the {@code double[row][column]} matrices the blocks take: their shape and entries. */
final class MatrixChecks {

    /** A row or column count that may be anything from 1 up. */
    static final int ANY = -1;

    private MatrixChecks() {}

    /**
     * Checks that a matrix has a shape and finite entries.
     *
     * @param name the matrix's name, for the message
     * @param matrix the matrix
     * @param rows the rows expected, or {@link #ANY}
     * @param columns the entries every row must have, or {@link #ANY} for as many as the first
     * @param shape the shape in words, for the message, e.g. {@code "r x stateSize"}
     * @param fix what to do about a non-finite entry, for the message
     * @return the number of columns
     * @throws IllegalArgumentException if the matrix has no row or no column, another shape, or an
     *     entry that is NaN or infinite
     */
    static int requireMatrix(
            String name, double[][] matrix, int rows, int columns, String shape, String fix) {
        int width = requireShape(name, matrix, rows, columns, shape);
        for (int i = 0; i < matrix.length; i++) {
            for (int j = 0; j < width; j++) {
                if (!Double.isFinite(matrix[i][j])) {
                    throw new IllegalArgumentException(
                            name
                                    + "["
                                    + i
                                    + "]["
                                    + j
                                    + "] is not finite: "
                                    + matrix[i][j]
                                    + "; "
                                    + fix);
                }
            }
        }
        return width;
    }

    /**
     * Checks that a matrix has a shape.
     *
     * @param name the matrix's name, for the message
     * @param matrix the matrix
     * @param rows the rows expected, or {@link #ANY}
     * @param columns the entries every row must have, or {@link #ANY} for as many as the first
     * @param shape the shape in words, for the message, e.g. {@code "outputs x n"}
     * @return the number of columns
     * @throws IllegalArgumentException if the matrix has no row or no column, or another shape
     */
    static int requireShape(String name, double[][] matrix, int rows, int columns, String shape) {
        String expected = "; " + name + " must be " + shape + dimensions(rows, columns);
        if (matrix == null || matrix.length == 0) {
            throw new IllegalArgumentException(
                    name + " must have at least one row, got none" + expected);
        }
        if (rows != ANY && matrix.length != rows) {
            throw new IllegalArgumentException(
                    name + " must have " + rows + " rows, got " + matrix.length + expected);
        }
        int width = columns == ANY ? matrix[0].length : columns;
        if (width < 1) {
            throw new IllegalArgumentException(
                    name + " must have at least one column, got none" + expected);
        }
        for (int i = 0; i < matrix.length; i++) {
            if (matrix[i].length != width) {
                throw new IllegalArgumentException(
                        name
                                + " row "
                                + i
                                + " must have "
                                + width
                                + " entries, got "
                                + matrix[i].length
                                + expected);
            }
        }
        return width;
    }

    private static String dimensions(int rows, int columns) {
        return rows == ANY || columns == ANY ? "" : " = " + rows + " x " + columns;
    }
}
