package io.github.compressm.ssm;

/**
 * The maps of a selective layer ({@link SelectiveSsmBlock}) from its activation to {@code B_t} and
 * {@code C_t}: {@code B_t = inputMap xc_t}, {@code C_t = outputMap xc_t}, each {@code N x d} with
 * one row per state coordinate. A reduction replaces both; restoring them restores the layer.
 *
 * @param inputMap the map to {@code B_t}, {@code N x d}
 * @param outputMap the map to {@code C_t}, {@code N x d}
 */
public record StateMaps(double[][] inputMap, double[][] outputMap) {

    /** The shape of both maps, for the messages. */
    private static final String SHAPE = "stateSize x innerWidth";

    /** What to do about a non-finite entry. */
    private static final String FIX =
            "the layer's parameters diverged; lower the learning rate or clip gradients";

    /**
     * Checks the maps and keeps copies.
     *
     * @param inputMap the map to {@code B_t}, {@code N x d}
     * @param outputMap the map to {@code C_t}, {@code N x d}
     * @throws IllegalArgumentException if they are empty, ragged, of different shapes or not finite
     */
    public StateMaps {
        int width =
                MatrixChecks.requireMatrix(
                        "inputMap", inputMap, MatrixChecks.ANY, MatrixChecks.ANY, SHAPE, FIX);
        MatrixChecks.requireMatrix("outputMap", outputMap, inputMap.length, width, SHAPE, FIX);
        inputMap = copy(inputMap);
        outputMap = copy(outputMap);
    }

    /**
     * Returns the state size the maps define.
     *
     * @return the number of rows
     */
    public int getStateSize() {
        return inputMap.length;
    }

    /** {@inheritDoc} */
    @Override
    public double[][] inputMap() {
        return copy(inputMap);
    }

    /** {@inheritDoc} */
    @Override
    public double[][] outputMap() {
        return copy(outputMap);
    }

    private static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
