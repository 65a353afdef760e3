package io.github.compressm.control;

/**
 * A truncated change of basis of a selective layer's state, {@code s ~ V s~} with {@code s~ = W s}:
 * the layer's input map becomes {@code B_t -> W B_t} and its output map {@code C_t -> V^T C_t}
 * ({@link EmpiricalBalancing#truncate}).
 */
public final class StateTransform {

    private final double[][] left;
    private final double[][] right;
    private final double energyKept;

    StateTransform(double[][] left, double[][] right, double energyKept) {
        this.left = left;
        this.right = right;
        this.energyKept = energyKept;
    }

    /**
     * Returns {@code W}, the kept rows of {@code T^{-1}}.
     *
     * @return a copy, {@code r x N}
     */
    public double[][] getLeft() {
        return copy(left);
    }

    /**
     * Returns {@code V}, the kept columns of {@code T}.
     *
     * @return a copy, {@code N x r}
     */
    public double[][] getRight() {
        return copy(right);
    }

    /**
     * Returns the reduced state size.
     *
     * @return {@code r}
     */
    public int getStateCount() {
        return left.length;
    }

    /**
     * Returns the fraction of the Hankel singular values' sum the kept coordinates hold.
     *
     * @return the energy kept, in [0, 1]
     */
    public double getEnergyKept() {
        return energyKept;
    }

    private static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
