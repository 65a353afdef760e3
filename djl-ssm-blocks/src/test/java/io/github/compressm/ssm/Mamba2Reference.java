package io.github.compressm.ssm;

import ai.djl.ndarray.types.DataType;

/**
 * The {@link Mamba2} layer as a plain per-step recurrence in double precision, read from a block's
 * parameters: the reference of the chunked forward pass. A perturbation can be added to the state
 * after any step (after that step's output), which gives finite differences of a loss with respect
 * to the states.
 */
final class Mamba2Reference {

    final int features;
    final int inner;
    final int heads;
    final int headDimension;
    final int stateSize;
    final int kernel;
    private final double[] inProj;
    private final double[] convWeight;
    private final double[] convBias;
    private final double[] bProj;
    private final double[] cProj;
    private final double[] dtBias;
    private final double[] aLog;
    private final double[] skip;
    private final double[] normWeight;
    private final double[] outProj;

    Mamba2Reference(Mamba2 block) {
        features = Math.toIntExact(block.getFeatures());
        inner = Math.toIntExact(block.getInnerWidth());
        headDimension = block.getHeadDimension();
        heads = inner / headDimension;
        stateSize = block.getStateSize();
        kernel = block.getConvolutionKernel();
        inProj = values(block, "in_proj");
        convWeight = values(block, "conv_weight");
        convBias = values(block, "conv_bias");
        bProj = values(block, "B_proj");
        cProj = values(block, "C_proj");
        dtBias = values(block, "dt_bias");
        aLog = values(block, "A_log");
        skip = values(block, "D");
        normWeight = values(block, "norm_weight");
        outProj = values(block, "out_proj");
    }

    private static double[] values(Mamba2 block, String name) {
        return block.getParameters()
                .get(name)
                .getArray()
                .toType(DataType.FLOAT64, false)
                .toDoubleArray();
    }

    /** A perturbation of the state of one sequence after one step, or none. */
    interface Perturbation {
        /**
         * Adds to {@code state[h][p][n]} of sequence {@code b} after step {@code t}.
         *
         * @param b the sequence
         * @param t the step
         * @param state the state, changed in place
         */
        void apply(int b, int t, double[][][] state);
    }

    /**
     * What a run returns: outputs, every step's state, the final convolution window, and every
     * step's {@code B_t}, {@code C_t}, log decays and scan inputs {@code dt xc} (by head and row).
     */
    static final class Result {
        double[][][] output;
        double[][][][][] states;
        double[][][] convState;
        double[][][] b;
        double[][][] c;
        double[][][] logDecay;
        double[][][] scanInput;

        double[][][][] finalState() {
            double[][][][] last = new double[states.length][][][];
            for (int b = 0; b < states.length; b++) {
                last[b] = states[b][states[b].length - 1];
            }
            return last;
        }
    }

    Result run(double[][][] u) {
        return run(u, null, null, null);
    }

    Result run(double[][][] u, double[][][][] ssm0, double[][][] conv0, Perturbation perturbation) {
        int batch = u.length;
        int length = u[0].length;
        Result result = new Result();
        result.output = new double[batch][length][features];
        result.states = new double[batch][length][][][];
        result.convState = new double[batch][kernel - 1][inner];
        result.b = new double[batch][length][];
        result.c = new double[batch][length][];
        result.logDecay = new double[batch][length][heads];
        result.scanInput = new double[batch][length][inner];
        for (int b = 0; b < batch; b++) {
            double[][][] s = new double[heads][headDimension][stateSize];
            if (ssm0 != null) {
                for (int h = 0; h < heads; h++) {
                    for (int p = 0; p < headDimension; p++) {
                        s[h][p] = ssm0[b][h][p].clone();
                    }
                }
            }
            // At step t, after the shift, window[j] is the raw x of step t - (kernel - 1) + j.
            double[][] window = new double[kernel][inner];
            if (conv0 != null) {
                for (int j = 0; j < kernel - 1; j++) {
                    window[j + 1] = conv0[b][j].clone();
                }
            }
            for (int t = 0; t < length; t++) {
                double[] proj = new double[2 * inner + heads];
                for (int i = 0; i < proj.length; i++) {
                    for (int f = 0; f < features; f++) {
                        proj[i] += inProj[i * features + f] * u[b][t][f];
                    }
                }
                System.arraycopy(window, 1, window, 0, kernel - 1);
                window[kernel - 1] = new double[inner];
                System.arraycopy(proj, inner, window[kernel - 1], 0, inner);
                double[] xc = new double[inner];
                for (int i = 0; i < inner; i++) {
                    double v = convBias[i];
                    for (int j = 0; j < kernel; j++) {
                        v += convWeight[i * kernel + j] * window[j][i];
                    }
                    xc[i] = silu(v);
                }
                double[] bt = project(bProj, xc);
                double[] ct = project(cProj, xc);
                result.b[b][t] = bt;
                result.c[b][t] = ct;
                double[] y = new double[inner];
                for (int h = 0; h < heads; h++) {
                    double dt = softplus(proj[2 * inner + h] + dtBias[h]);
                    result.logDecay[b][t][h] = -dt * Math.exp(aLog[h]);
                    double a = Math.exp(result.logDecay[b][t][h]);
                    for (int p = 0; p < headDimension; p++) {
                        int i = h * headDimension + p;
                        result.scanInput[b][t][i] = dt * xc[i];
                        double out = skip[h] * xc[i];
                        for (int n = 0; n < stateSize; n++) {
                            s[h][p][n] = a * s[h][p][n] + dt * xc[i] * bt[n];
                            out += s[h][p][n] * ct[n];
                        }
                        y[i] = out;
                    }
                }
                double squares = 0;
                for (int i = 0; i < inner; i++) {
                    y[i] *= silu(proj[i]);
                    squares += y[i] * y[i];
                }
                double scale = 1 / Math.sqrt(squares / inner + 1e-5);
                for (int f = 0; f < features; f++) {
                    double v = 0;
                    for (int i = 0; i < inner; i++) {
                        v += outProj[f * inner + i] * y[i] * scale * normWeight[i];
                    }
                    result.output[b][t][f] = v;
                }
                if (perturbation != null) {
                    perturbation.apply(b, t, s);
                }
                result.states[b][t] = copy(s);
            }
            for (int j = 0; j < kernel - 1; j++) {
                result.convState[b][j] = window[j + 1].clone();
            }
        }
        return result;
    }

    private double[] project(double[] w, double[] xc) {
        double[] out = new double[stateSize];
        for (int n = 0; n < stateSize; n++) {
            for (int i = 0; i < inner; i++) {
                out[n] += w[n * inner + i] * xc[i];
            }
        }
        return out;
    }

    private static double[][][] copy(double[][][] s) {
        double[][][] out = new double[s.length][s[0].length][];
        for (int h = 0; h < s.length; h++) {
            for (int p = 0; p < s[h].length; p++) {
                out[h][p] = s[h][p].clone();
            }
        }
        return out;
    }

    private static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    private static double softplus(double v) {
        return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
}
