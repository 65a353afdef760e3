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
 * <p>The state holds the SSM state {@code S} head row by head row ({@code (H, P, N)} as the block
 * returns it, {@code d N} floats) and then the convolution's last {@code k - 1} inputs, oldest
 * first ({@code (k - 1) d} floats). The matrix products run as sums of scaled rows over contiguous
 * memory (the weights stored input by input); the state update and its readout share one loop per
 * head row. A step costs about {@code (3d + H) features + 4 d N} multiply-adds (the two
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

    /** {@code inProj[j * (2d + H) + o]}: feature {@code j} to projection {@code o}. */
    private final float[] inProj;

    /** {@code conv[i * d + c]}: tap {@code i} (oldest first) of channel {@code c}. */
    private final float[] conv;

    private final float[] convBias;

    /** {@code bc[c * 2N + m]}: channel {@code c} to {@code B_m}, then to {@code C_{m - N}}. */
    private final float[] bc;

    private final float[] dtBias;

    /** {@code A_h = -exp(A_log_h)}. */
    private final float[] a;

    private final float[] skip;
    private final float[] normWeight;

    /** {@code outProj[c * features + o]}: channel {@code c} to output {@code o}. */
    private final float[] outProj;

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
        int projections = 2 * d + heads;
        inProj =
                ResidualStep.transpose(
                        read(ssm, values, "in_proj", projections * features),
                        projections,
                        features);
        conv = ResidualStep.transpose(read(ssm, values, "conv_weight", d * k), d, k);
        convBias = read(ssm, values, "conv_bias", d);
        float[] b = read(ssm, values, "B_proj", n * d);
        float[] c = read(ssm, values, "C_proj", n * d);
        bc = new float[d * 2 * n];
        for (int m = 0; m < n; m++) {
            for (int ch = 0; ch < d; ch++) {
                bc[ch * 2 * n + m] = b[m * d + ch];
                bc[ch * 2 * n + n + m] = c[m * d + ch];
            }
        }
        dtBias = read(ssm, values, "dt_bias", heads);
        float[] aLog = read(ssm, values, "A_log", heads);
        a = new float[heads];
        for (int h = 0; h < heads; h++) {
            a[h] = (float) -Math.exp(aLog[h]);
        }
        skip = read(ssm, values, "D", heads);
        normWeight = read(ssm, values, "norm_weight", d);
        outProj = ResidualStep.transpose(read(ssm, values, "out_proj", features * d), features, d);
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
    public int stateLength() {
        return d * n + (k - 1) * d;
    }

    /** {@inheritDoc} */
    @Override
    public void step(float[] state, float[] input, float[] output) {
        int projections = 2 * d + heads;
        float[] projected = new float[projections];
        for (int j = 0; j < features; j++) {
            float u = input[j];
            int row = j * projections;
            for (int o = 0; o < projections; o++) {
                projected[o] += u * inProj[row + o];
            }
        }
        float[] xc = convolve(state, projected);
        float[] bcT = new float[2 * n];
        for (int ch = 0; ch < d; ch++) {
            float v = xc[ch];
            int row = ch * 2 * n;
            for (int m = 0; m < 2 * n; m++) {
                bcT[m] += v * bc[row + m];
            }
        }
        float[] y = new float[d];
        for (int h = 0; h < heads; h++) {
            float dt = (float) softplus(projected[2 * d + h] + dtBias[h]);
            float decay = (float) Math.exp(dt * a[h]);
            for (int r = 0; r < p; r++) {
                int ch = h * p + r;
                float drive = dt * xc[ch];
                int s = ch * n;
                float readout = 0;
                for (int m = 0; m < n; m++) {
                    float v = decay * state[s + m] + drive * bcT[m];
                    state[s + m] = v;
                    readout += v * bcT[n + m];
                }
                y[ch] = readout + skip[h] * xc[ch];
            }
        }
        double squares = 0;
        for (int ch = 0; ch < d; ch++) {
            float g = y[ch] * silu(projected[ch]);
            y[ch] = g;
            squares += (double) g * g;
        }
        float scale = (float) (1 / Math.sqrt(squares / d + NORM_EPSILON));
        Arrays.fill(output, 0, features, 0f);
        for (int ch = 0; ch < d; ch++) {
            float v = y[ch] * scale * normWeight[ch];
            int row = ch * features;
            for (int o = 0; o < features; o++) {
                output[o] += v * outProj[row + o];
            }
        }
    }

    /**
     * The convolution's output after SiLU, {@code xc}, from the kept inputs and the new {@code x}
     * (the projection's second block); moves the new input into the kept ones.
     */
    private float[] convolve(float[] state, float[] projected) {
        int kept = d * n;
        float[] xc = convBias.clone();
        for (int i = 0; i < k - 1; i++) {
            int row = kept + i * d;
            int taps = i * d;
            for (int ch = 0; ch < d; ch++) {
                xc[ch] += conv[taps + ch] * state[row + ch];
            }
        }
        int last = (k - 1) * d;
        for (int ch = 0; ch < d; ch++) {
            xc[ch] += conv[last + ch] * projected[d + ch];
        }
        System.arraycopy(state, kept + d, state, kept, (k - 2) * d);
        System.arraycopy(projected, d, state, kept + (k - 2) * d, d);
        for (int ch = 0; ch < d; ch++) {
            xc[ch] = silu(xc[ch]);
        }
        return xc;
    }

    private static float silu(float x) {
        return (float) (x / (1 + Math.exp(-x)));
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
