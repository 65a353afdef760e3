package io.github.compressm.ssm.generation;

import ai.djl.nn.Parameter;
import io.github.compressm.ssm.Mamba2;
import java.util.Arrays;
import java.util.Optional;

/**
 * The step of a {@link Mamba2} layer, the recurrence of its class documentation for one time step:
 * the input projection to {@code [z, x, dt']}, the causal depthwise convolution over the kept
 * {@code k - 1} inputs and the new one, SiLU, the projections {@code B_t} and {@code C_t}, {@code
 * dt = softplus(dt' + dt_bias)}, the decay {@code exp(dt A)} per head, the state update {@code S =
 * a S + dt xc B^T}, the readout {@code S C} with the skip {@code D xc}, the gated RMS norm and the
 * output projection.
 *
 * <p>A sequence's {@linkplain #newStepper() stepper} holds the SSM state {@code S} one array per
 * state coordinate {@code m} (the column {@code S[:, m]} over all {@code d} channels) and the
 * convolution's last {@code k - 1} inputs, one array each. Every loop of a step then runs over
 * whole arrays from index 0, which the JIT compiles to vector instructions: the projections as sums
 * of scaled rows (one array per input, four rows per pass), the convolution tap by tap, and the
 * state update fused with the readout, per coordinate {@code m}: {@code S[:, m] = a S[:, m] + (dt
 * xc) B_m}, {@code y += S[:, m] C_m}, every channel at once. {@link Stepper#state()} returns the
 * block's layout, the SSM state {@code (H, P, N)} and then the kept inputs {@code (k - 1, d)},
 * oldest first. A step costs about {@code (3d + H) features + 4 d N} multiply-adds (the two
 * projections, then {@code B_t} and {@code C_t}, the update and the readout) plus {@code O(k d)}.
 */
public final class Mamba2StepKernel implements StepKernel {

    /** Makes the kernels of {@link Mamba2} blocks. */
    public static final StepKernelFactory FACTORY =
            (ssm, values) ->
                    ssm instanceof Mamba2
                            ? Optional.of(of((Mamba2) ssm, values))
                            : Optional.empty();

    /** PyTorch's softplus threshold: above it, {@code softplus(x) = x}. */
    private static final double SOFTPLUS_THRESHOLD = 20;

    /** The epsilon of the block's RMS norm. */
    private static final double NORM_EPSILON = 1e-5;

    private final int features;
    private final int d;
    private final int heads;
    private final int p;
    private final int n;
    private final int k;

    /** {@code inZ[j][c]}, {@code inX[j][c]}, {@code inDt[j][h]}: feature {@code j} to each part. */
    private final float[][] inZ;

    private final float[][] inX;
    private final float[][] inDt;

    /** {@code conv[i][c]}: tap {@code i} (oldest first) of channel {@code c}. */
    private final float[][] conv;

    private final float[] convBias;

    /** {@code bProj[c][m]}, {@code cProj[c][m]}: channel {@code c} to {@code B_m}, {@code C_m}. */
    private final float[][] bProj;

    private final float[][] cProj;

    private final float[] dtBias;

    /** {@code A_h = -exp(A_log_h)}. */
    private final float[] a;

    /** The skip {@code D} of each channel's head. */
    private final float[] skip;

    private final float[] normWeight;

    /** {@code outProj[c][o]}: channel {@code c} to output {@code o}. */
    private final float[][] outProj;

    private Mamba2StepKernel(Mamba2 ssm, ParameterValues values) {
        if (ssm.getFeatures() < 1) {
            throw new IllegalStateException(
                    "the Mamba2 layer is not initialised: load or train the model before stepping"
                            + " it");
        }
        features = Math.toIntExact(ssm.getFeatures());
        d = Math.toIntExact(ssm.getInnerWidth());
        heads = Math.toIntExact(ssm.getHeads());
        p = ssm.getHeadDimension();
        n = ssm.getStateSize();
        k = ssm.getConvolutionKernel();
        float[] in = read(ssm, values, "in_proj", (2 * d + heads) * features);
        inZ = FloatLoops.columns(in, features, 0, d);
        inX = FloatLoops.columns(in, features, d, 2 * d);
        inDt = FloatLoops.columns(in, features, 2 * d, 2 * d + heads);
        conv = FloatLoops.columns(read(ssm, values, "conv_weight", d * k), k, 0, d);
        convBias = read(ssm, values, "conv_bias", d);
        bProj = FloatLoops.columns(read(ssm, values, "B_proj", n * d), d, 0, n);
        cProj = FloatLoops.columns(read(ssm, values, "C_proj", n * d), d, 0, n);
        dtBias = read(ssm, values, "dt_bias", heads);
        float[] aLog = read(ssm, values, "A_log", heads);
        a = new float[heads];
        for (int h = 0; h < heads; h++) {
            a[h] = (float) -Math.exp(aLog[h]);
        }
        float[] skipPerHead = read(ssm, values, "D", heads);
        skip = new float[d];
        for (int h = 0; h < heads; h++) {
            Arrays.fill(skip, h * p, (h + 1) * p, skipPerHead[h]);
        }
        normWeight = read(ssm, values, "norm_weight", d);
        outProj = FloatLoops.columns(read(ssm, values, "out_proj", features * d), d, 0, features);
    }

    /**
     * Makes the kernel of a trained Mamba-2 layer, reading its parameters once.
     *
     * @param ssm the layer, initialised or with its metadata loaded
     * @param values where its parameter values are read from
     * @return the kernel
     * @throws IllegalStateException if the layer is not initialised or a value cannot be read
     * @throws IllegalArgumentException if a parameter's size does not match the layer's sizes
     */
    public static Mamba2StepKernel of(Mamba2 ssm, ParameterValues values) {
        return new Mamba2StepKernel(ssm, values);
    }

    /** {@inheritDoc} */
    @Override
    public int features() {
        return features;
    }

    /** {@inheritDoc} */
    @Override
    public Stepper newStepper() {
        return new Sequence();
    }

    /** One sequence: its state and the working memory of a step, one array per intermediate. */
    private final class Sequence implements Stepper {

        /** {@code ssm[m][ch]}: the state's coordinate {@code m} of channel {@code ch}. */
        private final float[][] ssm = new float[n][d];

        /** The convolution's kept inputs, oldest first. */
        private final float[][] kept = new float[k - 1][d];

        private final float[] z = new float[d];
        private final float[] x = new float[d];
        private final float[] dtRaw = new float[heads];
        private final float[] xc = new float[d];
        private final float[] bt = new float[n];
        private final float[] ct = new float[n];

        /** Per channel, its head's decay {@code exp(dt A)} and its drive {@code dt xc}. */
        private final float[] decay = new float[d];

        private final float[] drive = new float[d];
        private final float[] y = new float[d];

        /** {@inheritDoc} */
        @Override
        public void step(float[] input, float[] output) {
            Arrays.fill(z, 0f);
            Arrays.fill(x, 0f);
            Arrays.fill(dtRaw, 0f);
            FloatLoops.addProduct(inZ, input, 0, z, d);
            FloatLoops.addProduct(inX, input, 0, x, d);
            FloatLoops.addProduct(inDt, input, 0, dtRaw, heads);
            convolve();
            Arrays.fill(bt, 0f);
            Arrays.fill(ct, 0f);
            FloatLoops.addProduct(bProj, xc, 0, bt, n);
            FloatLoops.addProduct(cProj, xc, 0, ct, n);
            for (int h = 0; h < heads; h++) {
                float dt = (float) softplus(dtRaw[h] + dtBias[h]);
                Arrays.fill(decay, h * p, (h + 1) * p, (float) Math.exp(dt * a[h]));
                Arrays.fill(drive, h * p, (h + 1) * p, dt);
            }
            for (int ch = 0; ch < d; ch++) {
                drive[ch] *= xc[ch];
                y[ch] = skip[ch] * xc[ch];
            }
            for (int m = 0; m < n; m++) {
                float[] column = ssm[m];
                float bm = bt[m];
                float cm = ct[m];
                for (int ch = 0; ch < d; ch++) {
                    float s = decay[ch] * column[ch] + drive[ch] * bm;
                    column[ch] = s;
                    y[ch] += s * cm;
                }
            }
            double squares = 0;
            for (int ch = 0; ch < d; ch++) {
                float g = y[ch] * Activations.silu(z[ch]);
                y[ch] = g;
                squares += (double) g * g;
            }
            float scale = (float) (1 / Math.sqrt(squares / d + NORM_EPSILON));
            for (int ch = 0; ch < d; ch++) {
                y[ch] *= scale * normWeight[ch];
            }
            Arrays.fill(output, 0, features, 0f);
            FloatLoops.addProduct(outProj, y, 0, output, features);
        }

        /** {@inheritDoc} */
        @Override
        public float[] state() {
            float[] state = new float[d * n + (k - 1) * d];
            for (int m = 0; m < n; m++) {
                for (int ch = 0; ch < d; ch++) {
                    state[ch * n + m] = ssm[m][ch];
                }
            }
            for (int i = 0; i < k - 1; i++) {
                System.arraycopy(kept[i], 0, state, d * n + i * d, d);
            }
            return state;
        }

        /**
         * Computes the convolution's output after SiLU, {@code xc}, from the kept inputs and the
         * new {@code x}; the new input replaces the oldest kept one, which moves to the end.
         */
        private void convolve() {
            System.arraycopy(convBias, 0, xc, 0, d);
            for (int i = 0; i < k - 1; i++) {
                float[] taps = conv[i];
                float[] in = kept[i];
                for (int ch = 0; ch < d; ch++) {
                    xc[ch] += taps[ch] * in[ch];
                }
            }
            float[] last = conv[k - 1];
            for (int ch = 0; ch < d; ch++) {
                xc[ch] += last[ch] * x[ch];
            }
            if (k > 1) {
                float[] oldest = kept[0];
                System.arraycopy(kept, 1, kept, 0, k - 2);
                System.arraycopy(x, 0, oldest, 0, d);
                kept[k - 2] = oldest;
            }
            for (int ch = 0; ch < d; ch++) {
                xc[ch] = Activations.silu(xc[ch]);
            }
        }
    }

    private static double softplus(double x) {
        return x > SOFTPLUS_THRESHOLD ? x : Math.log1p(Math.exp(x));
    }

    private static float[] read(Mamba2 ssm, ParameterValues values, String name, int size) {
        Parameter parameter = ssm.getDirectParameters().get(name);
        float[] v = values.get(parameter);
        if (v.length != size) {
            throw new IllegalArgumentException(
                    "the Mamba2 layer's "
                            + name
                            + " has "
                            + v.length
                            + " values, its sizes need "
                            + size);
        }
        return v;
    }
}
