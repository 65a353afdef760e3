package io.github.compressm.ssm.generation;

import ai.djl.nn.Parameter;
import io.github.compressm.ssm.AbstractDiagonalSsm;
import io.github.compressm.ssm.DiagonalRealization;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The step of a complex diagonal layer ({@link io.github.compressm.ssm.Lru}, {@link
 * io.github.compressm.ssm.S5} and every other {@link AbstractDiagonalSsm}): {@code x_t = lambda *
 * x_{t-1} + B u_t}, {@code y_t = Re(C x_t) + D * u_t} with the effective {@code B} of the layer's
 * {@link DiagonalRealization} (its input scale folded in).
 *
 * <p>A sequence's {@linkplain #newStepper() stepper} holds the state, the real parts of {@code x}
 * and then the imaginary parts, {@code 2 n} floats. A step multiplies the state by {@code lambda}
 * in place, adds {@code B u} to it and reads {@code C x} out, without working memory; both products
 * run as sums of scaled rows ({@code B} stored input by input, {@code C} state by state, four rows
 * per pass), loops over contiguous memory without a reduction, which the JIT compiles to vector
 * instructions. The cost of a step is {@code 4 n features} multiply-adds plus {@code O(n)}.
 */
public final class DiagonalStepKernel implements StepKernel {

    /** Makes the kernels of {@link AbstractDiagonalSsm} blocks. */
    public static final StepKernelFactory FACTORY =
            (ssm, values) ->
                    ssm instanceof AbstractDiagonalSsm
                            ? Optional.of(of((AbstractDiagonalSsm) ssm, values))
                            : Optional.empty();

    private final int n;
    private final int h;
    private final float[] lambdaRe;
    private final float[] lambdaIm;

    /** {@code b[j][k]}: input {@code j} to state coordinate {@code k} (re, then im). */
    private final float[][] b;

    /** {@code c[k][o]}: state coordinate {@code k} to output {@code o}, {@code -Im C} for im. */
    private final float[][] c;

    private final float[] d;

    private DiagonalStepKernel(DiagonalRealization system, float[] d) {
        n = system.getStateSize();
        h = system.getInputSize();
        if (system.getOutputSize() != h || d.length != h) {
            throw new IllegalArgumentException(
                    "a layer's step needs as many outputs and D entries as inputs ("
                            + h
                            + "), got "
                            + system.getOutputSize()
                            + " outputs and "
                            + d.length
                            + " D entries");
        }
        lambdaRe = toFloat(system.getLambdaRe());
        lambdaIm = toFloat(system.getLambdaIm());
        double[][] bRe = system.getBRe();
        double[][] bIm = system.getBIm();
        double[][] cRe = system.getCRe();
        double[][] cIm = system.getCIm();
        b = new float[h][2 * n];
        c = new float[2 * n][h];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h; j++) {
                b[j][i] = (float) bRe[i][j];
                b[j][n + i] = (float) bIm[i][j];
                c[i][j] = (float) cRe[j][i];
                c[n + i][j] = (float) -cIm[j][i];
            }
        }
        this.d = d.clone();
    }

    /**
     * Makes the kernel of a system and its direct feedthrough.
     *
     * @param system the layer's discrete system, as many outputs as inputs
     * @param d the feedthrough {@code D}, one entry per feature
     * @return the kernel
     * @throws IllegalArgumentException if the sizes disagree
     */
    public static DiagonalStepKernel of(DiagonalRealization system, float[] d) {
        return new DiagonalStepKernel(system, d);
    }

    /**
     * Makes the kernel of a trained diagonal layer, reading its system and its {@code D} once.
     *
     * @param ssm the layer, initialised or with its metadata loaded
     * @param values where its parameter values are read from
     * @return the kernel
     * @throws IllegalStateException if a value cannot be read
     */
    public static DiagonalStepKernel of(AbstractDiagonalSsm ssm, ParameterValues values) {
        Map<String, double[]> parameters = new HashMap<>();
        for (Parameter parameter : ssm.getDirectParameters().values()) {
            float[] v = values.get(parameter);
            double[] converted = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                converted[i] = v[i];
            }
            parameters.put(parameter.getName(), converted);
        }
        return new DiagonalStepKernel(
                ssm.realization(parameters), values.get(ssm.getDirectParameters().get("D")));
    }

    /** {@inheritDoc} */
    @Override
    public int features() {
        return h;
    }

    /** {@inheritDoc} */
    @Override
    public Stepper newStepper() {
        return new Sequence();
    }

    /** One sequence: its state, {@code 2 n} floats (real parts, then imaginary parts). */
    private final class Sequence implements Stepper {

        private final float[] state = new float[2 * n];

        /** {@inheritDoc} */
        @Override
        public void step(float[] input, float[] output) {
            for (int i = 0; i < n; i++) {
                float re = state[i];
                float im = state[n + i];
                state[i] = lambdaRe[i] * re - lambdaIm[i] * im;
                state[n + i] = lambdaRe[i] * im + lambdaIm[i] * re;
            }
            FloatLoops.addProduct(b, input, 0, state, 2 * n);
            for (int o = 0; o < h; o++) {
                output[o] = d[o] * input[o];
            }
            FloatLoops.addProduct(c, state, 0, output, h);
        }

        /** {@inheritDoc} */
        @Override
        public float[] state() {
            return state.clone();
        }
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
