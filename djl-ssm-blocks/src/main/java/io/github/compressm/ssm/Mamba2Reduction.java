package io.github.compressm.ssm;

/**
 * The arithmetic of a {@link Mamba2} state reduction: folding the maps into the state projections
 * in double precision ({@link ParameterArrays} puts the new parameters in place).
 */
final class Mamba2Reduction {

    private Mamba2Reduction() {}

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
