package io.github.compressm.ssm;

/**
 * The one reference for the tests of every module: a plain sequential LRU recurrence in double
 * precision, written independently of the block's chunked scan: {@code x_t = lambda x_{t-1} + B
 * u_t}, {@code y_t = Re(C x_t) + D u_t}, from {@code x_0 = 0}.
 *
 * <p>Shared with the other modules through this module's test-jar.
 */
public final class ReferenceRecurrence {

    private ReferenceRecurrence() {}

    /**
     * Runs the recurrence from a zero state.
     *
     * @param system the diagonal system (B already scaled by gamma)
     * @param d the feedthrough per feature, or {@code null} for none
     * @param u inputs {@code [batch][time][inputs]}
     * @return outputs {@code [batch][time][outputs]}
     */
    public static double[][][] run(DiagonalRealization system, double[] d, double[][][] u) {
        return run(system, d, u, new double[u.length][2][system.getStateSize()]);
    }

    /**
     * Runs the recurrence from a given state, which it advances to the final state.
     *
     * @param system the diagonal system (B already scaled by gamma)
     * @param d the feedthrough per feature, or {@code null} for none
     * @param u inputs {@code [batch][time][inputs]}
     * @param state {@code [batch][re/im][state]}: the initial state on entry, the final on return
     * @return outputs {@code [batch][time][outputs]}
     */
    public static double[][][] run(
            DiagonalRealization system, double[] d, double[][][] u, double[][][] state) {
        int n = system.getStateSize();
        int h = system.getInputSize();
        int p = system.getOutputSize();
        if (d != null && (d.length != h || p != h)) {
            throw new IllegalArgumentException("a feedthrough needs as many outputs as inputs");
        }
        double[] lre = system.getLambdaRe();
        double[] lim = system.getLambdaIm();
        double[][] bre = system.getBRe();
        double[][] bim = system.getBIm();
        double[][] cre = system.getCRe();
        double[][] cim = system.getCIm();
        double[][][] y = new double[u.length][][];
        for (int b = 0; b < u.length; b++) {
            y[b] = new double[u[b].length][p];
            double[] xr = state[b][0];
            double[] xi = state[b][1];
            for (int t = 0; t < u[b].length; t++) {
                for (int i = 0; i < n; i++) {
                    double br = 0;
                    double bi = 0;
                    for (int j = 0; j < h; j++) {
                        br += bre[i][j] * u[b][t][j];
                        bi += bim[i][j] * u[b][t][j];
                    }
                    double nr = lre[i] * xr[i] - lim[i] * xi[i] + br;
                    double ni = lre[i] * xi[i] + lim[i] * xr[i] + bi;
                    xr[i] = nr;
                    xi[i] = ni;
                }
                for (int j = 0; j < p; j++) {
                    double s = d == null ? 0 : d[j] * u[b][t][j];
                    for (int i = 0; i < n; i++) {
                        s += cre[j][i] * xr[i] - cim[j][i] * xi[i];
                    }
                    y[b][t][j] = s;
                }
            }
        }
        return y;
    }

    /**
     * Splits a row-major {@code (batch, time, features)} array, as {@code NDArray.toFloatArray}
     * returns it, into sequences.
     *
     * @param flat the values
     * @param length the time steps per sequence
     * @param features the features per time step
     * @return {@code [batch][time][features]}
     */
    public static double[][][] sequences(float[] flat, int length, int features) {
        if (flat.length % (length * features) != 0) {
            throw new IllegalArgumentException(
                    flat.length + " values are not whole sequences of " + length + "x" + features);
        }
        double[][][] u = new double[flat.length / (length * features)][length][features];
        for (int b = 0; b < u.length; b++) {
            for (int t = 0; t < length; t++) {
                for (int j = 0; j < features; j++) {
                    u[b][t][j] = flat[(b * length + t) * features + j];
                }
            }
        }
        return u;
    }

    /**
     * Joins sequences into the row-major {@code (batch, time, features)} order of {@code
     * NDArray.toDoubleArray}: the inverse of {@link #sequences}.
     *
     * @param y {@code [batch][time][features]}
     * @return the values
     */
    public static double[] flatten(double[][][] y) {
        int length = y[0].length;
        int features = y[0][0].length;
        double[] flat = new double[y.length * length * features];
        for (int b = 0; b < y.length; b++) {
            for (int t = 0; t < length; t++) {
                System.arraycopy(y[b][t], 0, flat, (b * length + t) * features, features);
            }
        }
        return flat;
    }
}
