package io.github.compressm.ssm;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A Mamba-2 layer (Dao and Gu, "Transformers are SSMs", 2024) as a DJL block, a selective state
 * space layer whose state can be compressed ({@link SelectiveSsmBlock}).
 *
 * <p>For an input {@code u} of shape {@code (batch, time, features)}, with inner width {@code d =
 * expansion * features} split into {@code H = d / P} heads of dimension {@code P} and a state of
 * size {@code N = }{@link #getStateSize()} per head row:
 *
 * <pre>
 *   [z, x, dt'] = W_in u_t                       (d, d, H)
 *   xc_t  = silu(causal depthwise conv(x)_t)     (kernel k)
 *   B_t   = W_B xc_t,  C_t = W_C xc_t            (N each, shared by the heads)
 *   dt_t  = softplus(dt'_t + dt_bias)            (per head)
 *   a_t   = exp(dt_t A_h),  A_h = -exp(A_log_h)  (a scalar per head)
 *   S_t   = a_t S_{t-1} + dt_t xc_t B_t^T        (per head, P x N)
 *   y_t   = S_t C_t + D_h xc_t
 *   out_t = W_out (rmsnorm(y_t * silu(z_t)) * norm_weight)
 * </pre>
 *
 * The output has the input's shape. The parameters are {@code in_proj (2d + H, features)}, {@code
 * conv_weight (d, 1, k)}, {@code conv_bias (d)}, {@code B_proj (N, d)}, {@code C_proj (N, d)},
 * {@code dt_bias (H)}, {@code A_log (H)}, {@code D (H)}, {@code norm_weight (d)} and {@code
 * out_proj (features, d)}.
 *
 * <p><b>Variant.</b> Mamba-2's reference projects {@code B_t} and {@code C_t} from the input and
 * passes them through the convolution and SiLU together with {@code x}. Here, as in Mamba-1, they
 * are linear maps of the convolved activation {@code xc_t}, with nothing after the map. That keeps
 * compression exact: since the decay is a scalar per head, every change of basis {@code S = S~ T^T}
 * of the state commutes with it, and {@code B_t -> T^{-1} B_t}, {@code C_t -> T^T C_t} leaves the
 * outputs unchanged; with {@code B_t} and {@code C_t} linear in {@code xc_t} it folds into the
 * weights, {@code W_B -> T^{-1} W_B} and {@code W_C -> T^T W_C}, and truncation keeps {@code r}
 * rows of both ({@link #reduceState}). A reduced block is a block built with state size {@code r}.
 *
 * <p><b>Computation.</b> The recurrence runs as the chunked SSD algorithm: masked matrix products
 * inside chunks of {@link Builder#optChunkLength(int) chunkLength} steps and a short loop over the
 * chunks, never a loop over time.
 *
 * <p><b>State.</b> The block takes {@code NDList(u)} or {@code NDList(u, ssmState, convState)} and,
 * built with {@link Builder#optReturnState(boolean) optReturnState(true)}, returns {@code NDList(y,
 * ssmState, convState)} instead of {@code NDList(y)}. {@code ssmState} is {@code S} of shape {@code
 * (batch, H, P, N)}; {@code convState} holds the last {@code k - 1} inputs {@code x} of the
 * convolution (before it), {@code (batch, k - 1, d)}, oldest first. Without them both start at
 * zero. Feeding the returned states back with the next part of a sequence gives the outputs of the
 * whole sequence, which is how a trained model runs step by step. Gradients flow through both.
 *
 * <p><b>Recording.</b> The {@link #getSignalMoments() recording} holds {@code E[s s^T]} of the
 * states passed from one chunk to the next, rows {@code s} of length {@code N} over sequences,
 * heads and head rows, and {@code E[g g^T]} of the loss gradients with respect to those states. A
 * recorded pass cuts every sequence into at least {@value #RECORDED_CHUNKS} chunks (as many as it
 * has steps if it is shorter), so that even a sequence that fits one chunk passes states.
 *
 * <p><b>Initialisation</b> (Mamba-2's): {@code dt = softplus(dt_bias)} log-uniform in {@code
 * [dtMin, dtMax]}, {@code -A} uniform in {@code [aMin, aMax]}, {@code D = 1}, norm weight 1, and
 * the projections and the convolution uniform in {@code +-1/sqrt(fan-in)} as PyTorch's layers.
 */
public class Mamba2 extends AbstractSsmBlock implements SelectiveSsmBlock {

    private static final byte VERSION = 1;

    private static final String IN_PROJ = "in_proj";
    private static final String CONV_WEIGHT = "conv_weight";
    private static final String CONV_BIAS = "conv_bias";
    private static final String B_PROJ = "B_proj";
    private static final String C_PROJ = "C_proj";
    private static final String DT_BIAS = "dt_bias";
    private static final String A_LOG = "A_log";
    private static final String D = "D";
    private static final String NORM_WEIGHT = "norm_weight";
    private static final String OUT_PROJ = "out_proj";

    /** The largest head dimension chosen automatically, Mamba-2's default. */
    static final int MAX_AUTOMATIC_HEAD_DIMENSION = 64;

    /** The fewest chunks a recorded training pass cuts a sequence into (at most one per step). */
    static final int RECORDED_CHUNKS = 8;

    /** The shortest chunk length chosen automatically. */
    static final int MIN_AUTOMATIC_CHUNK_LENGTH = 16;

    /** The longest chunk length chosen automatically (shorter sequences are one chunk). */
    static final int MAX_AUTOMATIC_CHUNK_LENGTH = 64;

    private static final double NORM_EPSILON = 1e-5;

    private static final String NOT_INITIALISED =
            "The Mamba2 block is not initialised: call initialize() (a Trainer's initialize does)"
                    + " first";

    /** What to do about a non-finite entry of a reduction's maps. */
    private static final String MAP_FIX =
            "pass finite maps: rows of T^-1 and columns of T for a change of basis T of the state,"
                    + " e.g. from balancing the layer's recorded moments";

    private final double dtMin;
    private final double dtMax;
    private final double aMin;
    private final double aMax;
    private final int chunkLength;
    private int expansion;
    private int headDimensionSetting;
    private int kernel;

    Mamba2(Builder builder) {
        super(VERSION, builder.stateSize, builder.returnState);
        expansion = builder.expansion;
        headDimensionSetting = builder.headDimension;
        kernel = builder.kernel;
        dtMin = builder.dtMin;
        dtMax = builder.dtMax;
        aMin = builder.aMin;
        aMax = builder.aMax;
        chunkLength = builder.chunkLength;
        for (String name : new String[] {IN_PROJ, CONV_WEIGHT, B_PROJ, C_PROJ, OUT_PROJ}) {
            addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build());
        }
        for (String name : new String[] {CONV_BIAS, DT_BIAS, A_LOG, D, NORM_WEIGHT}) {
            addParameter(Parameter.builder().setName(name).setType(Parameter.Type.OTHER).build());
        }
    }

    /**
     * Creates a builder for a Mamba-2 layer.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the inner width {@code d = expansion * features}.
     *
     * @return the inner width, or -1 before initialisation
     */
    public long getInnerWidth() {
        return features < 0 ? -1 : expansion * features;
    }

    /**
     * Returns the head dimension {@code P}: the setting, or the automatic choice for the inner
     * width.
     *
     * @return the head dimension, or -1 before initialisation
     */
    public int getHeadDimension() {
        return features < 0 ? -1 : headDimensionFor(getInnerWidth());
    }

    /**
     * Returns the number of heads {@code H = d / P}.
     *
     * @return the number of heads, or -1 before initialisation
     */
    public long getHeads() {
        return features < 0 ? -1 : getInnerWidth() / getHeadDimension();
    }

    /**
     * Returns the kernel size {@code k} of the causal convolution.
     *
     * @return the kernel size
     */
    public int getConvolutionKernel() {
        return kernel;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        requireInputCount(inputs.size());
        NDArray u = inputs.get(0);
        requireInputShape(u.getShape());
        long batch = u.getShape().get(0);
        long length = u.getShape().get(1);
        long d = getInnerWidth();
        long p = getHeadDimension();
        long heads = d / p;
        NDArray ssmState = null;
        NDArray convState = null;
        if (inputs.size() == 3) {
            requireStateShapes(inputs.get(1).getShape(), inputs.get(2).getShape(), batch);
            ssmState = inputView(inputs.get(1), u);
            convState = inputView(inputs.get(2), u);
        }
        NDArray inProj = parameter(parameterStore, IN_PROJ, u, training);
        requireDataType("input", u, inProj);
        if (ssmState != null) {
            requireDataType("SSM state", ssmState, inProj);
            requireDataType("convolution state", convState, inProj);
        }

        Terms terms = terms(parameterStore, u, inProj, convState, training);
        NDArray xc = terms.xc();
        NDArray dt = terms.dt();
        NDArray xh = xc.reshape(batch, length, heads, p);

        int l = chunkLength > 0 ? chunkLength : automaticChunkLength(stateSize, (int) p);
        if (training && signalMoments.isRecording()) {
            // A recorded pass passes at least RECORDED_CHUNKS - 1 states per sequence, also when
            // the sequence fits one chunk; the outputs are the same for every chunk length.
            l = (int) Math.min(l, Math.max(1, (length + RECORDED_CHUNKS - 1) / RECORDED_CHUNKS));
        }
        NDList scanned =
                new SsdScan(l)
                        .run(
                                xh.mul(dt.expandDims(3)),
                                terms.logDecay(),
                                terms.b(),
                                terms.c(),
                                ssmState,
                                training ? signalMoments : null);
        NDArray y =
                scanned.get(0)
                        .add(xh.mul(parameter(parameterStore, D, u, training).reshape(heads, 1)))
                        .reshape(batch, length, d);

        NDArray gated = y.mul(silu(terms.z()));
        NDArray normalised =
                gated.mul(gated.square().mean(new int[] {2}, true).add(NORM_EPSILON).pow(-0.5));
        // The norm weight scales out_proj's columns, a (features, d) product, not the activation.
        NDArray output =
                normalised.matMul(
                        parameter(parameterStore, OUT_PROJ, u, training)
                                .mul(parameter(parameterStore, NORM_WEIGHT, u, training))
                                .transpose());
        if (!isReturnState()) {
            return new NDList(output);
        }
        return new NDList(output, scanned.get(1), terms.window().get(":, " + length + ":"));
    }

    /**
     * Returns the input-dependent terms of the scan for input sequences that start from zero
     * states: {@code B_t} and {@code C_t}, each {@code (batch, time, N)}, the log decays {@code log
     * a_t = dt_t A_h}, {@code (batch, time, H)}, and the scan's inputs {@code dt_t xc_t}, {@code
     * (batch, time, H, P)}, so that {@code S_t = a_t S_{t-1} + (dt_t xc_t) B_t^T} per head. They
     * are what an analysis of the layer as a time-varying system needs, e.g. an averaged
     * time-invariant surrogate.
     *
     * @param parameterStore the parameter store
     * @param input the input {@code (batch, time, features)}
     * @param training whether the parameters are read for training
     * @return {@code NDList(B, C, logDecay, scanInput)}
     * @throws IllegalStateException if the block is not initialised
     * @throws IllegalArgumentException if the input's shape does not match the layer
     */
    public NDList selectiveTerms(ParameterStore parameterStore, NDArray input, boolean training) {
        requireInputShape(input.getShape());
        NDArray inProj = parameter(parameterStore, IN_PROJ, input, training);
        requireDataType("input", input, inProj);
        Terms terms = terms(parameterStore, input, inProj, null, training);
        long heads = getHeads();
        NDArray scanInput =
                terms.xc()
                        .reshape(input.getShape().get(0), input.getShape().get(1), heads, -1)
                        .mul(terms.dt().expandDims(3));
        return new NDList(terms.b(), terms.c(), terms.logDecay(), scanInput);
    }

    /**
     * The terms of one forward pass before the scan: the gate {@code z}, the convolution's window
     * {@code [previous k - 1 inputs, x]}, the convolved activation {@code xc}, the maps {@code B},
     * {@code C}, the steps {@code dt} and the log decays {@code dt A}.
     */
    private record Terms(
            NDArray z,
            NDArray window,
            NDArray xc,
            NDArray b,
            NDArray c,
            NDArray dt,
            NDArray logDecay) {}

    private Terms terms(
            ParameterStore parameterStore,
            NDArray u,
            NDArray inProj,
            NDArray convState,
            boolean training) {
        long batch = u.getShape().get(0);
        long d = getInnerWidth();
        NDList projected = u.matMul(inProj.transpose()).split(new long[] {d, 2 * d}, 2);
        NDArray z = projected.get(0);
        NDArray x = projected.get(1);
        NDArray dtRaw = projected.get(2);

        // Causal depthwise convolution over [previous k - 1 inputs, x].
        NDArray tail =
                convState != null
                        ? convState
                        : u.getManager().zeros(new Shape(batch, kernel - 1L, d), u.getDataType());
        NDArray window = tail.concat(x, 1);
        NDArray convolved =
                Conv1d.conv1d(
                                window.transpose(0, 2, 1),
                                parameter(parameterStore, CONV_WEIGHT, u, training),
                                parameter(parameterStore, CONV_BIAS, u, training),
                                new Shape(1),
                                new Shape(0),
                                new Shape(1),
                                Math.toIntExact(d))
                        .head()
                        .transpose(0, 2, 1);
        NDArray xc = silu(convolved);

        NDArray b = xc.matMul(parameter(parameterStore, B_PROJ, u, training).transpose());
        NDArray c = xc.matMul(parameter(parameterStore, C_PROJ, u, training).transpose());
        NDArray dt =
                Activation.softPlus(dtRaw.add(parameter(parameterStore, DT_BIAS, u, training)));
        NDArray a = parameter(parameterStore, A_LOG, u, training).exp().neg();
        return new Terms(z, window, xc, b, c, dt, dt.mul(a));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The output has the input's shape {@code (batch, time, features)}; with {@link
     * Builder#optReturnState(boolean)} it is followed by the states' shapes {@code (batch, H, P,
     * N)} and {@code (batch, k - 1, d)}.
     */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape input = inputShapes[0];
        if (!isReturnState()) {
            return new Shape[] {input};
        }
        Shape[] states = stateShapes(input.get(0), expansion * input.get(2));
        return new Shape[] {input, states[0], states[1]};
    }

    /**
     * {@inheritDoc}
     *
     * <p>Accepts the input's shape {@code (batch, time, features)}, optionally followed by the
     * states' shapes {@code (batch, H, P, N)} and {@code (batch, k - 1, d)}.
     */
    @Override
    protected void prepare(Shape[] inputShapes) {
        requireInputCount(inputShapes.length);
        Shape shape = inputShapes[0];
        if (shape.dimension() != 3 || shape.get(2) < 1) {
            throw new IllegalArgumentException(
                    "Mamba2 expects input of shape (batch, time, features) with at least one"
                            + " feature, got "
                            + shape);
        }
        long d = expansion * shape.get(2);
        int p = headDimensionFor(d);
        if (d % p != 0) {
            throw new IllegalArgumentException(
                    "Mamba2 head dimension "
                            + p
                            + " must divide the inner width expansion * features = "
                            + expansion
                            + " * "
                            + shape.get(2)
                            + " = "
                            + d
                            + "; choose a divisor with optHeadDimension or 0 for the automatic"
                            + " choice");
        }
        features = shape.get(2);
        if (inputShapes.length == 3) {
            requireStateShapes(inputShapes[1], inputShapes[2], shape.get(0));
        }
        long heads = d / p;
        parameters.get(IN_PROJ).setShape(new Shape(2 * d + heads, features));
        parameters.get(IN_PROJ).setInitializer(uniform(features));
        parameters.get(CONV_WEIGHT).setShape(new Shape(d, 1, kernel));
        parameters.get(CONV_WEIGHT).setInitializer(uniform(kernel));
        parameters.get(CONV_BIAS).setShape(new Shape(d));
        parameters.get(CONV_BIAS).setInitializer(uniform(kernel));
        for (String name : new String[] {B_PROJ, C_PROJ}) {
            parameters.get(name).setShape(new Shape(stateSize, d));
            parameters.get(name).setInitializer(uniform(d));
        }
        parameters.get(DT_BIAS).setShape(new Shape(heads));
        parameters.get(DT_BIAS).setInitializer(this::initialTimeStepBias);
        parameters.get(A_LOG).setShape(new Shape(heads));
        parameters
                .get(A_LOG)
                .setInitializer(
                        (m, s, t) -> m.randomUniform((float) aMin, (float) aMax, s, t).log());
        parameters.get(D).setShape(new Shape(heads));
        parameters.get(D).setInitializer(Initializer.ONES);
        parameters.get(NORM_WEIGHT).setShape(new Shape(d));
        parameters.get(NORM_WEIGHT).setInitializer(Initializer.ONES);
        parameters.get(OUT_PROJ).setShape(new Shape(features, d));
        parameters.get(OUT_PROJ).setInitializer(uniform(d));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Folds the change of basis into the state projections: {@code B_proj <- left B_proj} and
     * {@code C_proj <- right^T C_proj}, both of shape {@code (r, d)} afterwards.
     */
    @Override
    public void reduceState(double[][] left, double[][] right) {
        if (!isInitialized()) {
            throw new IllegalStateException(NOT_INITIALISED);
        }
        int n = stateSize;
        MatrixChecks.requireMatrix("left", left, MatrixChecks.ANY, n, "r x stateSize", MAP_FIX);
        int r = left.length;
        MatrixChecks.requireMatrix("right", right, n, r, "stateSize x r", MAP_FIX);
        int d = Math.toIntExact(getInnerWidth());
        double[] b = ParameterArrays.values(parameters.get(B_PROJ));
        double[] c = ParameterArrays.values(parameters.get(C_PROJ));
        double[] reducedB = Mamba2Reduction.multiply(left, false, b, d);
        double[] reducedC = Mamba2Reduction.multiply(right, true, c, d);
        Shape shape = new Shape(r, d);
        ParameterArrays.replace(parameters, B_PROJ, reducedB, shape);
        ParameterArrays.replace(parameters, C_PROJ, reducedC, shape);
        stateSize = r;
    }

    /** {@inheritDoc} */
    @Override
    public StateMaps getStateMaps() {
        if (!isInitialized()) {
            throw new IllegalStateException(NOT_INITIALISED);
        }
        int d = Math.toIntExact(getInnerWidth());
        return new StateMaps(
                rows(ParameterArrays.values(parameters.get(B_PROJ)), d),
                rows(ParameterArrays.values(parameters.get(C_PROJ)), d));
    }

    /** {@inheritDoc} */
    @Override
    public void setStateMaps(StateMaps maps) {
        if (!isInitialized()) {
            throw new IllegalStateException(NOT_INITIALISED);
        }
        int d = Math.toIntExact(getInnerWidth());
        double[][] input = maps.inputMap();
        if (input[0].length != d) {
            throw new IllegalArgumentException(
                    "the state maps have "
                            + input[0].length
                            + " columns, but this layer's inner width is "
                            + d);
        }
        Shape shape = new Shape(input.length, d);
        ParameterArrays.replace(parameters, B_PROJ, flat(input), shape);
        ParameterArrays.replace(parameters, C_PROJ, flat(maps.outputMap()), shape);
        stateSize = input.length;
    }

    private static double[][] rows(double[] values, int columns) {
        double[][] out = new double[values.length / columns][columns];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(values, i * columns, out[i], 0, columns);
        }
        return out;
    }

    private static double[] flat(double[][] m) {
        double[] out = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeInt(stateSize);
        os.writeLong(features);
        os.writeInt(expansion);
        os.writeInt(headDimensionSetting);
        os.writeInt(kernel);
        saveInputShapes(os);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The saved state size, expansion, head dimension and kernel replace the builder's: a block
     * built with the original state size loads a reduced one.
     */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        FormatVersions.require("Mamba2", loadVersion, VERSION);
        stateSize = is.readInt();
        features = is.readLong();
        expansion = is.readInt();
        headDimensionSetting = is.readInt();
        kernel = is.readInt();
        readInputShapes(is);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "Mamba2(stateSize="
                + stateSize
                + ", features="
                + features
                + ", heads="
                + getHeads()
                + ", headDimension="
                + getHeadDimension()
                + ')';
    }

    /**
     * Chooses the chunk length of the SSD scan for a state size and head dimension: the largest
     * power of two {@code l} with {@code l^2 <= N P}, between 16 and 64. Inside a chunk the work
     * per step grows with {@code l} (the {@code (l x l)} decay of every head, element-wise, forward
     * and backward), between chunks with {@code P N / l} (the states passed on), so the best {@code
     * l} grows with {@code sqrt(N P)}. Forward + backward of one block on the 2-core CPU (64
     * features, minima): at length 784, batch 32, 8 heads of 16 and 16 states, chunks of 16 took
     * 189-199 ms against 259-275 at 56; 2 heads of 64: 16 states 193-198 ms at 32 against 219-236
     * at 64, 128 states 290 ms at 64 against 328-342 at 32; at length 128, batch 16, 2 heads of 64:
     * 128 states 20.7 ms at 64 against 22.2 at 32 and 33.2 at 16, 4 states 12.1 ms at 16 against
     * 12.7 at 64.
     *
     * @param stateSize the state size {@code N}
     * @param headDimension the head dimension {@code P}
     * @return the chunk length
     */
    static int automaticChunkLength(int stateSize, int headDimension) {
        long area = (long) stateSize * headDimension;
        int l = MIN_AUTOMATIC_CHUNK_LENGTH;
        while (2 * l <= MAX_AUTOMATIC_CHUNK_LENGTH && (long) (2 * l) * (2 * l) <= area) {
            l *= 2;
        }
        return l;
    }

    /**
     * The setting, or the largest divisor of {@code d} up to {@link #MAX_AUTOMATIC_HEAD_DIMENSION}.
     */
    private int headDimensionFor(long d) {
        if (headDimensionSetting > 0) {
            return headDimensionSetting;
        }
        int p = (int) Math.min(MAX_AUTOMATIC_HEAD_DIMENSION, d);
        while (d % p != 0) {
            p--;
        }
        return p;
    }

    private Shape[] stateShapes(long batch, long d) {
        long p = headDimensionFor(d);
        return new Shape[] {
            new Shape(batch, d / p, p, stateSize), new Shape(batch, kernel - 1L, d)
        };
    }

    /** {@code dt + log(1 - exp(-dt))}, the inverse softplus of a log-uniform step. */
    private NDArray initialTimeStepBias(NDManager manager, Shape shape, DataType dataType) {
        NDArray dt =
                manager.randomUniform(
                                (float) Math.log(dtMin), (float) Math.log(dtMax), shape, dataType)
                        .exp();
        return dt.add(dt.neg().exp().neg().add(1).log());
    }

    private static Initializer uniform(long fanIn) {
        return new UniformInitializer((float) (1 / Math.sqrt(fanIn)));
    }

    private static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    private void requireInputCount(int count) {
        if (count != 1 && count != 3) {
            throw new IllegalArgumentException(
                    "Mamba2 expects NDList(input) or NDList(input, ssmState, convState), got "
                            + count
                            + " arrays");
        }
    }

    private void requireInputShape(Shape shape) {
        if (features < 0) {
            throw new IllegalStateException(NOT_INITIALISED);
        }
        if (shape.dimension() != 3 || shape.get(2) != features) {
            throw new IllegalArgumentException(
                    "Mamba2 was initialised for "
                            + features
                            + " features and expects input of shape (batch, time, "
                            + features
                            + "), got "
                            + shape);
        }
        if (shape.get(1) < 1 || shape.get(0) < 1) {
            throw new IllegalArgumentException(
                    "Mamba2 needs at least one sequence of at least one step, got " + shape);
        }
    }

    private void requireStateShapes(Shape ssm, Shape conv, long batch) {
        Shape[] expected = stateShapes(batch, getInnerWidth());
        if (!ssm.equals(expected[0])) {
            throw new IllegalArgumentException(
                    "Mamba2 SSM state must have shape (batch, heads, headDimension, stateSize) = "
                            + expected[0]
                            + ", got "
                            + ssm);
        }
        if (!conv.equals(expected[1])) {
            throw new IllegalArgumentException(
                    "Mamba2 convolution state must have shape (batch, kernel - 1, innerWidth) = "
                            + expected[1]
                            + ", got "
                            + conv);
        }
    }

    private static void requireDataType(String what, NDArray array, NDArray parameter) {
        if (array.getDataType() != parameter.getDataType()) {
            throw new IllegalArgumentException(
                    "Mamba2 "
                            + what
                            + " must have the parameters' data type "
                            + parameter.getDataType()
                            + ", got "
                            + array.getDataType());
        }
    }

    /**
     * Returns a parameter's value on the input's device as a view owned by the input's manager, so
     * that arrays derived from it are freed with the input's scope rather than the model's; the
     * view shares the parameter's memory and gradient.
     */
    private NDArray parameter(
            ParameterStore parameterStore, String name, NDArray input, boolean training) {
        NDArray value = parameterStore.getValue(parameters.get(name), input.getDevice(), training);
        return inputView(value, input);
    }

    private static NDArray inputView(NDArray array, NDArray input) {
        NDArray view = array.reshape(array.getShape());
        view.attach(input.getManager());
        return view;
    }

    /**
     * The builder for {@link Mamba2}: {@code setStateSize} is required; every other setting has a
     * default that works for any feature count.
     */
    public static final class Builder {

        private int stateSize;
        private int expansion = 2;
        private int headDimension;
        private int kernel = 4;
        private double dtMin = 0.001;
        private double dtMax = 0.1;
        private double aMin = 1;
        private double aMax = 16;
        private int chunkLength;
        private boolean returnState;

        Builder() {}

        /**
         * Sets the state size {@code N} per head row (required).
         *
         * @param stateSize the state size, at least 1
         * @return this builder
         */
        public Builder setStateSize(int stateSize) {
            this.stateSize = stateSize;
            return this;
        }

        /**
         * Sets the expansion of the inner width {@code d = expansion * features} (default 2).
         *
         * @param expansion the expansion, at least 1
         * @return this builder
         */
        public Builder optExpansion(int expansion) {
            this.expansion = expansion;
            return this;
        }

        /**
         * Sets the head dimension {@code P}, which must divide the inner width (default 0: the
         * largest divisor of the inner width up to 64).
         *
         * @param headDimension the head dimension, or 0 for the automatic choice
         * @return this builder
         */
        public Builder optHeadDimension(int headDimension) {
            this.headDimension = headDimension;
            return this;
        }

        /**
         * Sets the kernel size {@code k} of the causal depthwise convolution (default 4).
         *
         * @param kernel the kernel size, at least 2
         * @return this builder
         */
        public Builder optConvolutionKernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        /**
         * Sets the range of the initial time steps {@code dt = softplus(dt_bias)}, drawn
         * log-uniformly (default {@code [0.001, 0.1]}).
         *
         * @param dtMin the smallest initial step, positive
         * @param dtMax the largest initial step, at least {@code dtMin}
         * @return this builder
         */
        public Builder optTimeStepRange(double dtMin, double dtMax) {
            this.dtMin = dtMin;
            this.dtMax = dtMax;
            return this;
        }

        /**
         * Sets the range of the initial decay rates {@code -A = exp(A_log)}, drawn uniformly
         * (default {@code [1, 16]}).
         *
         * @param aMin the smallest initial rate, positive
         * @param aMax the largest initial rate, at least {@code aMin}
         * @return this builder
         */
        public Builder optDecayRange(double aMin, double aMax) {
            this.aMin = aMin;
            this.aMax = aMax;
            return this;
        }

        /**
         * Sets the number of time steps per chunk of the SSD algorithm (default 0: chosen from the
         * state size and the head dimension, 16 to 64 steps, a shorter sequence being one chunk).
         * It changes speed, memory and which states are recorded, not the result (up to float
         * rounding).
         *
         * @param chunkLength the steps per chunk, or 0 for the default
         * @return this builder
         */
        public Builder optChunkLength(int chunkLength) {
            this.chunkLength = chunkLength;
            return this;
        }

        /**
         * Sets whether the forward pass returns {@code NDList(output, ssmState, convState)} instead
         * of {@code NDList(output)} (default false). Not saved with the parameters: build the block
         * with it before loading a model.
         *
         * @param returnState whether to return the final states
         * @return this builder
         */
        public Builder optReturnState(boolean returnState) {
            this.returnState = returnState;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return a new {@link Mamba2}
         * @throws IllegalArgumentException if a setting is out of range
         */
        public Mamba2 build() {
            if (stateSize < 1) {
                throw new IllegalArgumentException(
                        "Mamba2 state size must be at least 1, got "
                                + stateSize
                                + " (set it with setStateSize)");
            }
            if (expansion < 1) {
                throw new IllegalArgumentException(
                        "Mamba2 expansion must be at least 1, got " + expansion);
            }
            if (headDimension < 0) {
                throw new IllegalArgumentException(
                        "Mamba2 head dimension must be 0 (automatic) or positive, got "
                                + headDimension);
            }
            if (kernel < 2) {
                throw new IllegalArgumentException(
                        "Mamba2 convolution kernel must be at least 2, got " + kernel);
            }
            if (!(dtMin > 0 && dtMax >= dtMin && Double.isFinite(dtMax))) {
                throw new IllegalArgumentException(
                        "Mamba2 time step range must satisfy 0 < dtMin <= dtMax < infinity, got ["
                                + dtMin
                                + ", "
                                + dtMax
                                + "]");
            }
            if (!(aMin > 0 && aMax >= aMin && Double.isFinite(aMax))) {
                throw new IllegalArgumentException(
                        "Mamba2 decay range must satisfy 0 < aMin <= aMax < infinity, got ["
                                + aMin
                                + ", "
                                + aMax
                                + "]");
            }
            if (chunkLength < 0) {
                throw new IllegalArgumentException(
                        "Mamba2 chunkLength must be 0 (automatic) or positive, got " + chunkLength);
            }
            return new Mamba2(this);
        }
    }
}
