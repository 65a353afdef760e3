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

    /**
     * Checks the maps and keeps copies.
     *
     * @param inputMap the map to {@code B_t}, {@code N x d}
     * @param outputMap the map to {@code C_t}, {@code N x d}
     * @throws IllegalArgumentException if they are empty, ragged, of different shapes or not finite
     */
    public StateMaps {
        inputMap = checked("inputMap", inputMap);
        outputMap = checked("outputMap", outputMap);
        if (inputMap.length != outputMap.length || inputMap[0].length != outputMap[0].length) {
            throw new IllegalArgumentException(
                    "inputMap is "
                            + inputMap.length
                            + " x "
                            + inputMap[0].length
                            + " but outputMap "
                            + outputMap.length
                            + " x "
                            + outputMap[0].length
                            + ": both are stateSize x innerWidth");
        }
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

    private static double[][] checked(String name, double[][] m) {
        if (m == null || m.length == 0 || m[0].length == 0) {
            throw new IllegalArgumentException(name + " must have at least one row and column");
        }
        for (int i = 0; i < m.length; i++) {
            if (m[i].length != m[0].length) {
                throw new IllegalArgumentException(
                        name + " is ragged: row " + i + " has " + m[i].length + " entries");
            }
            for (double x : m[i]) {
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException(
                            name + " has a non-finite entry in row " + i);
                }
            }
        }
        return copy(m);
    }

    private static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
