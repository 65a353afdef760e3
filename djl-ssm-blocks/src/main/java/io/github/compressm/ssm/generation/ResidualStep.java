package io.github.compressm.ssm.generation;

/**
 * One step of the residual SSM layer {@code y = x + GLU(GELU(ssm(norm(x))))} on float arrays (the
 * dropouts are the identity at inference): a layer norm over the features, the SSM's {@link
 * StepKernel}, the exact GELU, the gated linear unit {@code (W1 z + b1) * sigmoid(W2 z + b2)} and
 * the skip, over a few scratch arrays of the session: nothing is allocated per step. The norm takes
 * both moments in one pass, the activations come from tables ({@link Activations}), and the GLU's
 * product runs four inputs per pass ({@link FloatLoops}).
 */
final class ResidualStep {

    private final int h;
    private final float[] gamma;
    private final float[] beta;
    private final float epsilon;
    private final StepKernel ssm;

    /** {@code glu[i][o]}: feature {@code i} to GLU output {@code o} (values, then gates). */
    private final float[][] glu;

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
        this.glu = FloatLoops.columns(gluWeight, h, 0, 2 * h);
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
     * @param stepper the SSM's stepper of this sequence, with its state
     * @param x the features, replaced by the layer's output
     * @param scratch the session's scratch arrays
     */
    void step(StepKernel.Stepper stepper, float[] x, Scratch scratch) {
        float[] z = scratch.normalised;
        // One pass for both moments, in double: the features are floats, so E[x^2] - mean^2 loses
        // nothing a float result would keep.
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < h; i++) {
            double v = x[i];
            sum += v;
            squares += v * v;
        }
        double mean = sum / h;
        double variance = Math.max(0, squares / h - mean * mean);
        float scale = (float) (1 / Math.sqrt(variance + epsilon));
        float shift = (float) -mean;
        for (int i = 0; i < h; i++) {
            z[i] = (x[i] + shift) * scale * gamma[i] + beta[i];
        }
        float[] y = scratch.ssmOutput;
        stepper.step(z, y);
        for (int i = 0; i < h; i++) {
            y[i] = Activations.gelu(y[i]);
        }
        float[] gated = scratch.gated;
        System.arraycopy(gluBias, 0, gated, 0, 2 * h);
        FloatLoops.addProduct(glu, y, 0, gated, 2 * h);
        for (int o = 0; o < h; o++) {
            x[o] += gated[o] * Activations.sigmoid(gated[h + o]);
        }
    }

    /** Scratch arrays of one session, shared by its layers. */
    static final class Scratch {
        final float[] normalised;
        final float[] ssmOutput;
        final float[] gated;

        /**
         * Creates the scratch of a model's layers.
         *
         * @param features the layers' features
         */
        Scratch(int features) {
            normalised = new float[features];
            ssmOutput = new float[features];
            gated = new float[2 * features];
        }
    }
}
