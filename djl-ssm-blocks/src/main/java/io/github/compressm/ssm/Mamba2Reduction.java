package io.github.compressm.ssm;

/**
 * The pieces of a {@link Mamba2} state reduction: checking the maps and folding them into the state
 * projections in double precision ({@link ParameterArrays} puts the new parameters in place).
 */
final class Mamba2Reduction {

    private Mamba2Reduction() {}

    /**
     * Checks that a map has the given shape and finite entries.
     *
     * @param name the argument's name, for the message
     * @param matrix the map
     * @param rows the rows expected
     * @param columns the columns expected
     * @throws IllegalArgumentException if the shape differs or an entry is not finite
     */
    static void requireMatrix(String name, double[][] matrix, int rows, int columns) {
        if (matrix.length != rows) {
            throw new IllegalArgumentException(
                    name + " must have " + rows + " rows, got " + matrix.length + expectation());
        }
        for (int i = 0; i < rows; i++) {
            if (matrix[i].length != columns) {
                throw new IllegalArgumentException(
                        name
                                + " row "
                                + i
                                + " must have "
                                + columns
                                + " entries, got "
                                + matrix[i].length
                                + expectation());
            }
            for (int j = 0; j < columns; j++) {
                if (!Double.isFinite(matrix[i][j])) {
                    throw new IllegalArgumentException(
                            name + "[" + i + "][" + j + "] is not finite: " + matrix[i][j]);
                }
            }
        }
    }

    private static String expectation() {
        return " (left is r x stateSize, right is stateSize x r)";
    }

    /**
     * Returns {@code M W} (or {@code M^T W}) for a row-major {@code W} of {@code columns} columns.
     *
     * @param m the map, {@code r x n} (or {@code n x r} when transposed)
     * @param transposed whether to apply {@code M^T}
     * @param w the matrix, {@code n x columns}, row-major
     * @param columns the columns of {@code w}
     * @return the product, {@code r x columns}, row-major
     */
    static double[] multiply(double[][] m, boolean transposed, double[] w, int columns) {
        int r = transposed ? m[0].length : m.length;
        int n = w.length / columns;
        double[] out = new double[r * columns];
        for (int i = 0; i < r; i++) {
            for (int k = 0; k < n; k++) {
                double factor = transposed ? m[k][i] : m[i][k];
                for (int j = 0; j < columns; j++) {
                    out[i * columns + j] += factor * w[k * columns + j];
                }
            }
        }
        return out;
    }
}
