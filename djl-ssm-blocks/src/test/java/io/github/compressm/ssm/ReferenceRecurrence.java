package io.github.compressm.ssm;

/**
 * A plain sequential LRU recurrence in double precision, written independently of the block's
 * chunked scan: {@code x_t = lambda x_{t-1} + B u_t}, {@code y_t = Re(C x_t) + D u_t}.
 */
final class ReferenceRecurrence {

    private ReferenceRecurrence() {}

    /**
     * Runs the recurrence from a zero state.
     *
     * @param system the diagonal system (B already scaled by gamma)
     * @param d the feedthrough per feature
     * @param u inputs {@code [batch][time][features]}
     * @return outputs {@code [batch][time][features]}
     */
    static double[][][] run(DiagonalRealization system, double[] d, double[][][] u) {
        return run(system, d, u, new double[u.length][2][system.getStateSize()]);
    }

    /**
     * Runs the recurrence from a given state, which it advances to the final state.
     *
     * @param system the diagonal system (B already scaled by gamma)
     * @param d the feedthrough per feature
     * @param u inputs {@code [batch][time][features]}
     * @param state {@code [batch][re/im][state]}: the initial state on entry, the final on return
     * @return outputs {@code [batch][time][features]}
     */
    static double[][][] run(
            DiagonalRealization system, double[] d, double[][][] u, double[][][] state) {
        int n = system.getStateSize();
        int h = system.getInputSize();
        double[] lre = system.getLambdaRe();
        double[] lim = system.getLambdaIm();
        double[][] bre = system.getBRe();
        double[][] bim = system.getBIm();
        double[][] cre = system.getCRe();
        double[][] cim = system.getCIm();
        double[][][] y = new double[u.length][u[0].length][h];
        for (int b = 0; b < u.length; b++) {
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
                for (int j = 0; j < h; j++) {
                    double s = d[j] * u[b][t][j];
                    for (int i = 0; i < n; i++) {
                        s += cre[j][i] * xr[i] - cim[j][i] * xi[i];
                    }
                    y[b][t][j] = s;
                }
            }
        }
        return y;
    }
}
