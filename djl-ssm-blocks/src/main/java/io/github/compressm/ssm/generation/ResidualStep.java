package io.github.compressm.ssm.generation;

/**
 * One step of the residual SSM layer {@code y = x + GLU(GELU(ssm(norm(x))))} on float arrays (the
 * dropouts are the identity at inference): a layer norm over the features, the SSM's {@link
 * StepKernel}, the exact GELU, the gated linear unit {@code (W1 z + b1) * sigmoid(W2 z + b2)} and
 * the skip, fused into one pass over a few scratch arrays.
 */
final class ResidualStep {

    private static final double SQRT_HALF = Math.sqrt(0.5);

    /** The coefficients of {@code log(erfc(z) / t) + z^2} in {@code t = 1 / (1 + z / 2)}. */
    private static final double[] ERFC = {
        -1.26551223,
        1.00002368,
        0.37409196,
        0.09678418,
        -0.18628806,
        0.27886807,
        -1.13520398,
        1.48851587,
        -0.82215223,
        0.17087277
    };

    private final int h;
    private final float[] gamma;
    private final float[] beta;
    private final float epsilon;
    private final StepKernel ssm;

    /** {@code glu[i * 2h + o]}: feature {@code i} to GLU output {@code o} (values, then gates). */
    private final float[] glu;

    private final float[] gluBias;

    /**
     * Creates the step of one layer.
     *
     * @param gamma the norm's scale, one per feature
     * @param beta the norm's shift, one per feature
     * @param epsilon the norm's epsilon
     * @param ssm the SSM's step
     * @param gluWeight the GLU's linear map, {@code 2h x h} row-major as DJL's {@code Linear}
     * @param gluBias the GLU's bias, {@code 2h}
     */
    ResidualStep(
            float[] gamma,
            float[] beta,
            float epsilon,
            StepKernel ssm,
            float[] gluWeight,
            float[] gluBias) {
        h = ssm.features();
        if (gamma.length != h || beta.length != h || gluWeight.length != 2 * h * h) {
            throw new IllegalArgumentException(
                    "a residual layer of "
                            + h
                            + " features needs a norm of "
                            + h
                            + " and a GLU of "
                            + 2 * h
                            + "x"
                            + h
                            + ", got "
                            + gamma.length
                            + " and "
                            + gluWeight.length
                            + " weights");
        }
        this.gamma = gamma.clone();
        this.beta = beta.clone();
        this.epsilon = epsilon;
        this.ssm = ssm;
        this.glu = transpose(gluWeight, 2 * h, h);
        this.gluBias = gluBias.clone();
    }

    /**
     * Returns the SSM's step.
     *
     * @return the kernel
     */
    StepKernel ssm() {
        return ssm;
    }

    /**
     * Runs the layer on one step's features, in place.
     *
     * @param state the SSM's state
     * @param x the features, replaced by the layer's output
     * @param scratch at least {@code 3 h} floats of scratch space
     */
    void step(float[] state, float[] x, Scratch scratch) {
        float[] z = scratch.normalised;
        double mean = 0;
        for (int i = 0; i < h; i++) {
            mean += x[i];
        }
        mean /= h;
        double variance = 0;
        for (int i = 0; i < h; i++) {
            double centred = x[i] - mean;
            variance += centred * centred;
        }
        double scale = 1 / Math.sqrt(variance / h + epsilon);
        for (int i = 0; i < h; i++) {
            z[i] = (float) ((x[i] - mean) * scale) * gamma[i] + beta[i];
        }
        float[] y = scratch.ssmOutput;
        ssm.step(state, z, y);
        float[] gated = scratch.gated;
        System.arraycopy(gluBias, 0, gated, 0, 2 * h);
        for (int i = 0; i < h; i++) {
            float g = gelu(y[i]);
            int row = i * 2 * h;
            for (int o = 0; o < 2 * h; o++) {
                gated[o] += g * glu[row + o];
            }
        }
        for (int o = 0; o < h; o++) {
            x[o] += gated[o] * (float) (1 / (1 + Math.exp(-gated[h + o])));
        }
    }

    /**
     * The exact GELU {@code x Phi(x) = x erfc(-x / sqrt 2) / 2}, with the complementary error
     * function of Numerical Recipes (fractional error below 1.2e-7 everywhere), so the negative
     * tail keeps its relative precision.
     */
    static float gelu(float x) {
        return (float) (0.5 * x * erfc(-x * SQRT_HALF));
    }

    /** The complementary error function, Chebyshev fit with fractional error below 1.2e-7. */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = 0;
        for (int k = ERFC.length - 1; k >= 0; k--) {
            poly = poly * t + ERFC[k];
        }
        double value = t * Math.exp(-z * z + poly);
        return x >= 0 ? value : 2 - value;
    }

    /** Scratch arrays of one session, shared by its layers. */
    static final class Scratch {
        final float[] normalised;
        final float[] ssmOutput;
        final float[] gated;

        Scratch(int features) {
            normalised = new float[features];
            ssmOutput = new float[features];
            gated = new float[2 * features];
        }
    }

    /** A row-major {@code rows x cols} matrix stored column by column. */
    static float[] transpose(float[] matrix, int rows, int cols) {
        float[] t = new float[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = matrix[r * cols + c];
            }
        }
        return t;
    }
}
