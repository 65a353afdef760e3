package io.github.compressm.ssm;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The Linear Recurrent Unit (Orvieto et al., 2023) as a DJL block.
 *
 * <p>For an input {@code u} of shape {@code (batch, time, features)} the layer computes, per
 * sequence and with a complex state {@code x_t} of size {@link #getStateSize()},
 *
 * <pre>
 *   x_t = lambda * x_{t-1} + (gamma * B) u_t,   y_t = Re(C x_t) + D * u_t
 * </pre>
 *
 * with {@code lambda = exp(-exp(nu_log) + i exp(theta_log))}, which is stable ({@code |lambda| <
 * 1}) for every parameter value, and {@code gamma = exp(gamma_log)}. The output has the shape of
 * the input. All parameters are real arrays: {@code nu_log, theta_log, gamma_log} of shape {@code
 * (state)}, {@code B_re, B_im} of shape {@code (state, features)}, {@code C_re, C_im} of shape
 * {@code (features, state)} and {@code D} of shape {@code (features)}.
 *
 * <p><b>State.</b> Like DJL's recurrent blocks ({@link ai.djl.nn.recurrent.RNN}, {@link
 * ai.djl.nn.recurrent.LSTM}), the block takes {@code NDList(u)} or {@code NDList(u, initialState)}
 * and, built with {@link Builder#optReturnState(boolean) optReturnState(true)}, returns {@code
 * NDList(y, finalState)} instead of {@code NDList(y)}. A state is the complex state {@code x} as a
 * real array of shape {@code (batch, 2, stateSize)}: real parts at {@code [:, 0, :]}, imaginary
 * parts at {@code [:, 1, :]}. The initial state {@code x_0} is the state before the first step, so
 * {@code x_t = lambda^t x_0 + sum_{s <= t} lambda^(t - s) gamma B u_s}; without one it is zero. The
 * final state is {@code x_T} after the last step: feeding it back with the next part of a sequence
 * gives the outputs of the whole sequence, which is how a trained model runs step by step, one
 * input at a time at constant cost per step. Gradients flow through both states.
 *
 * <p>The recurrence runs as a {@link ChunkedDiagonalScan}: a constant number of batched matrix
 * products per call, whatever the sequence length, so its cost scales with the state size. The
 * layer implements {@link DiagonalSsmBlock}, so CompreSSM can read its system and shrink its state
 * during training; a model saved after shrinking records the new state size and loads into a
 * freshly built block.
 */
public class Lru extends AbstractBlock implements DiagonalSsmBlock {

    private static final byte VERSION = 1;

    private static final String NU_LOG = "nu_log";
    private static final String THETA_LOG = "theta_log";
    private static final String GAMMA_LOG = "gamma_log";
    private static final String B_RE = "B_re";
    private static final String B_IM = "B_im";
    private static final String C_RE = "C_re";
    private static final String C_IM = "C_im";
    private static final String D = "D";

    private int stateSize;
    private long features = -1;
    private final double rMin;
    private final double rMax;
    private final double maxPhase;
    private final int chunkLength;
    private final boolean returnState;
    private final SignalMomentRecorder signalMoments = new SignalMomentRecorder();

    Lru(Builder builder) {
        super(VERSION);
        stateSize = builder.stateSize;
        returnState = builder.returnState;
        rMin = builder.rMin;
        rMax = builder.rMax;
        maxPhase = builder.maxPhase;
        chunkLength = builder.chunkLength;
        addParameter(
                Parameter.builder()
                        .setName(NU_LOG)
                        .setType(Parameter.Type.OTHER)
                        .optInitializer(this::initialNuLog)
                        .build());
        addParameter(
                Parameter.builder()
                        .setName(THETA_LOG)
                        .setType(Parameter.Type.OTHER)
                        .optInitializer(this::initialThetaLog)
                        .build());
        // Initialised after nu_log (parameters initialise in insertion order).
        addParameter(
                Parameter.builder()
                        .setName(GAMMA_LOG)
                        .setType(Parameter.Type.OTHER)
                        .optInitializer(this::initialGammaLog)
                        .build());
        for (String name : new String[] {B_RE, B_IM, C_RE, C_IM, D}) {
            addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build());
        }
    }

    /**
     * Creates a builder for an LRU layer.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public int getStateSize() {
        return stateSize;
    }

    /**
     * Returns the feature size of inputs and outputs, known once the block is initialised.
     *
     * @return the number of features, or -1 before initialisation
     */
    public long getFeatures() {
        return features;
    }

    /**
     * Returns whether the forward pass returns the final state after the output.
     *
     * @return the {@link Builder#optReturnState(boolean)} setting
     */
    public boolean isReturnState() {
        return returnState;
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
        NDArray initial = inputs.size() > 1 ? inputs.get(1) : null;
        if (initial != null) {
            requireStateShape(initial.getShape(), batch);
        }
        NDArray nuLog = parameter(parameterStore, NU_LOG, u, training);
        NDArray thetaLog = parameter(parameterStore, THETA_LOG, u, training);
        NDArray gammaLog = parameter(parameterStore, GAMMA_LOG, u, training);
        NDArray bRe = parameter(parameterStore, B_RE, u, training);
        NDArray bIm = parameter(parameterStore, B_IM, u, training);
        NDArray cRe = parameter(parameterStore, C_RE, u, training);
        NDArray cIm = parameter(parameterStore, C_IM, u, training);
        NDArray d = parameter(parameterStore, D, u, training);
        requireDataType("input", u, nuLog);
        if (initial != null) {
            requireDataType("initial state", initial, nuLog);
        }

        int length = Math.toIntExact(u.getShape().get(1));
        long h = features;
        long n = nuLog.getShape().get(0);
        int chunkLength =
                this.chunkLength > 0
                        ? Math.min(this.chunkLength, length)
                        : ChunkedDiagonalScan.chunkLengthFor(length);
        int chunks = (length + chunkLength - 1) / chunkLength;
        long padded = (long) chunks * chunkLength;
        long columns = batch * chunks;

        NDArray input = u;
        if (padded > length) {
            // Zeros appended at the end cannot change earlier states.
            input =
                    u.concat(
                            u.getManager()
                                    .zeros(new Shape(batch, padded - length, h), u.getDataType()),
                            1);
        }
        // (batch, padded, h) -> (h, chunkLength * columns), column m = sequence * chunks + chunk.
        NDArray flatInput =
                input.reshape(columns, chunkLength, h)
                        .transpose(2, 1, 0)
                        .reshape(h, chunkLength * columns);
        // Rows (state, re/im) interleaved: one product drives real and imaginary parts.
        NDArray gamma = gammaLog.exp().reshape(n, 1, 1);
        NDArray inputMatrix = bRe.expandDims(1).concat(bIm.expandDims(1), 1).mul(gamma);
        NDArray drive =
                inputMatrix
                        .reshape(2 * n, h)
                        .matMul(flatInput)
                        .reshape(n, 2L * chunkLength, columns);

        ChunkedDiagonalScan scan = new ChunkedDiagonalScan(chunkLength, chunks);
        NDArray states =
                scan.scan(nuLog.exp(), thetaLog.exp(), drive, batch, scanLayout(initial, u));

        // Re(C x) = C_re x_re - C_im x_im, with columns (state, re/im) interleaved like the rows.
        NDArray outputMatrix = cRe.expandDims(2).concat(cIm.neg().expandDims(2), 2);
        // (h, chunkLength * columns) as a (batch, chunks, chunkLength, h) view, added to the skip
        // D * u in place: the layout change back to the input's costs no array of its own.
        NDArray y =
                outputMatrix
                        .reshape(h, 2 * n)
                        .matMul(states.reshape(2 * n, chunkLength * columns))
                        .reshape(h, chunkLength, batch, chunks)
                        .transpose(2, 3, 1, 0);
        NDArray output =
                input.reshape(batch, chunks, chunkLength, h)
                        .mul(d)
                        .addi(y)
                        .reshape(batch, padded, h);
        if (padded > length) {
            output = output.get(":, :" + length + ", :");
        }
        if (training) {
            signalMoments.recordInput(u);
            output = signalMoments.probeOutput(output);
        }
        if (!returnState) {
            return new NDList(output);
        }
        return new NDList(output, scan.stateAt(states, length - 1, batch).transpose(2, 1, 0));
    }

    /** {@inheritDoc} */
    @Override
    public SignalMomentRecorder getSignalMoments() {
        return signalMoments;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The output has the input's shape {@code (batch, time, features)}; with {@link
     * Builder#optReturnState(boolean)} it is followed by the final state's shape {@code (batch, 2,
     * stateSize)}.
     */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape input = inputShapes[0];
        if (!returnState) {
            return new Shape[] {input};
        }
        return new Shape[] {input, new Shape(input.get(0), 2, stateSize)};
    }

    /**
     * {@inheritDoc}
     *
     * <p>Accepts the input's shape {@code (batch, time, features)}, optionally followed by the
     * initial state's shape {@code (batch, 2, stateSize)}.
     */
    @Override
    protected void prepare(Shape[] inputShapes) {
        requireInputCount(inputShapes.length);
        Shape shape = inputShapes[0];
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException(
                    "Lru expects input of shape (batch, time, features), got " + shape);
        }
        features = shape.get(2);
        if (features < 1) {
            throw new IllegalArgumentException(
                    "Lru needs at least one feature, got input shape " + shape);
        }
        if (inputShapes.length > 1) {
            requireStateShape(inputShapes[1], shape.get(0));
        }
        Shape state = new Shape(stateSize);
        parameters.get(NU_LOG).setShape(state);
        parameters.get(THETA_LOG).setShape(state);
        parameters.get(GAMMA_LOG).setShape(state);
        NormalInitializer inputInit = new NormalInitializer((float) Math.sqrt(0.5 / features));
        NormalInitializer outputInit = new NormalInitializer((float) Math.sqrt(1.0 / stateSize));
        for (String name : new String[] {B_RE, B_IM}) {
            parameters.get(name).setShape(new Shape(stateSize, features));
            parameters.get(name).setInitializer(inputInit);
        }
        for (String name : new String[] {C_RE, C_IM}) {
            parameters.get(name).setShape(new Shape(features, stateSize));
            parameters.get(name).setInitializer(outputInit);
        }
        parameters.get(D).setShape(new Shape(features));
        parameters.get(D).setInitializer(new NormalInitializer(1f));
    }

    /** {@inheritDoc} */
    @Override
    public DiagonalRealization getRealization() {
        requireInitialized();
        return new LruParameterization(
                        stateSize,
                        Math.toIntExact(features),
                        values(NU_LOG),
                        values(THETA_LOG),
                        values(GAMMA_LOG),
                        values(B_RE),
                        values(B_IM),
                        values(C_RE),
                        values(C_IM))
                .toRealization();
    }

    /** {@inheritDoc} */
    @Override
    public void setRealization(DiagonalRealization realization) {
        requireInitialized();
        LruParameterization p =
                LruParameterization.fromRealization(realization, Math.toIntExact(features));
        int n = p.stateSize;
        replace(NU_LOG, p.nuLog, new Shape(n));
        replace(THETA_LOG, p.thetaLog, new Shape(n));
        replace(GAMMA_LOG, p.gammaLog, new Shape(n));
        replace(B_RE, p.bRe, new Shape(n, features));
        replace(B_IM, p.bIm, new Shape(n, features));
        replace(C_RE, p.cRe, new Shape(features, n));
        replace(C_IM, p.cIm, new Shape(features, n));
        stateSize = n;
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeInt(stateSize);
        os.writeLong(features);
        os.writeDouble(rMin);
        os.writeDouble(rMax);
        os.writeDouble(maxPhase);
        saveInputShapes(os);
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        FormatVersions.require("Lru", loadVersion, VERSION);
        stateSize = is.readInt();
        features = is.readLong();
        // The initialisation ranges only matter for fresh parameters; the saved ones are kept.
        is.readDouble();
        is.readDouble();
        is.readDouble();
        readInputShapes(is);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "Lru(stateSize=" + stateSize + ", features=" + features + ')';
    }

    private static void requireInputCount(int count) {
        if (count < 1 || count > 2) {
            throw new IllegalArgumentException(
                    "Lru expects NDList(input) or NDList(input, initialState), got "
                            + count
                            + " arrays");
        }
    }

    private void requireStateShape(Shape shape, long batch) {
        Shape expected = new Shape(batch, 2, stateSize);
        if (!shape.equals(expected)) {
            throw new IllegalArgumentException(
                    "Lru initial state must have shape (batch, 2, stateSize) = "
                            + expected
                            + " (real parts at [:, 0, :], imaginary parts at [:, 1, :]), got "
                            + shape);
        }
    }

    private static void requireDataType(String what, NDArray array, NDArray parameter) {
        if (array.getDataType() != parameter.getDataType()) {
            throw new IllegalArgumentException(
                    "Lru "
                            + what
                            + " must have the parameters' data type "
                            + parameter.getDataType()
                            + ", got "
                            + array.getDataType());
        }
    }

    private void requireInputShape(Shape shape) {
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException(
                    "Lru expects input of shape (batch, time, features), got " + shape);
        }
        if (shape.get(2) != features) {
            throw new IllegalArgumentException(
                    "Lru was initialised for "
                            + features
                            + " features, but the input has shape "
                            + shape
                            + "; expected (batch, time, "
                            + features
                            + ")");
        }
        if (shape.get(1) < 1 || shape.get(0) < 1) {
            throw new IllegalArgumentException(
                    "Lru needs at least one sequence of at least one step, got " + shape);
        }
    }

    /**
     * Returns a parameter's value on the input's device as a view owned by the input's manager: DJL
     * attaches the result of an operation to the manager of the array it is called on, so arrays
     * derived from a parameter directly would stay on the model's manager until the model is closed
     * (a leak of every intermediate, every step). The view shares the parameter's memory and
     * gradient.
     */
    private NDArray parameter(
            ParameterStore parameterStore, String name, NDArray input, boolean training) {
        NDArray value = parameterStore.getValue(parameters.get(name), input.getDevice(), training);
        NDArray view = value.reshape(value.getShape());
        view.attach(input.getManager());
        return view;
    }

    /**
     * The state as the scan lays it out, {@code (state, 2, batch)}: a view owned by the input's
     * manager, for the reason given at {@link #parameter}.
     */
    private static NDArray scanLayout(NDArray state, NDArray input) {
        if (state == null) {
            return null;
        }
        NDArray view = state.transpose(2, 1, 0);
        view.attach(input.getManager());
        return view;
    }

    private void requireInitialized() {
        if (!isInitialized()) {
            throw new IllegalStateException(
                    "The Lru block is not initialised: call initialize() or run a forward pass"
                            + " first");
        }
    }

    private double[] values(String name) {
        NDArray array = parameters.get(name).getArray();
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray();
        }
        try (NDArray converted = array.toType(DataType.FLOAT64, false)) {
            return converted.toDoubleArray();
        }
    }

    /**
     * Puts a new parameter with the given values under {@code name}, on the old one's manager and
     * device. The old parameter is frozen, not closed: a trainer may still hold and sync it.
     */
    private void replace(String name, double[] values, Shape shape) {
        Parameter old = parameters.get(name);
        NDArray oldArray = old.getArray();
        NDArray array =
                create(
                        oldArray.getManager(),
                        values,
                        shape,
                        oldArray.getDataType(),
                        oldArray.getDevice());
        Parameter fresh =
                Parameter.builder()
                        .setName(name)
                        .setType(old.getType())
                        .optRequiresGrad(old.requiresGradient())
                        .build();
        fresh.setArray(array);
        if (fresh.requiresGradient()) {
            array.setRequiresGradient(true);
        }
        old.freeze(true);
        parameters.put(name, fresh);
    }

    private NDArray initialNuLog(NDManager manager, Shape shape, DataType dataType) {
        double lo = rMin * rMin;
        double span = rMax * rMax - lo;
        return manager.randomUniform(0f, 1f, shape, dataType)
                .mul(span)
                .add(lo)
                .log()
                .mul(-0.5)
                .log();
    }

    private NDArray initialThetaLog(NDManager manager, Shape shape, DataType dataType) {
        return manager.randomUniform(0f, 1f, shape, dataType)
                .mul(maxPhase)
                .maximum(LruParameterization.MIN_PHASE)
                .log();
    }

    private NDArray initialGammaLog(NDManager manager, Shape shape, DataType dataType) {
        double[] nu = values(NU_LOG);
        double[] gammaLog = new double[nu.length];
        for (int i = 0; i < nu.length; i++) {
            double modulusSquared = Math.exp(-2 * Math.exp(nu[i]));
            gammaLog[i] = 0.5 * Math.log1p(-modulusSquared);
        }
        return create(manager, gammaLog, shape, dataType, manager.getDevice());
    }

    /** Creates an array on {@code manager}; the conversion's intermediate arrays are freed. */
    private static NDArray create(
            NDManager manager, double[] values, Shape shape, DataType dataType, Device device) {
        try (NDManager scratch = manager.newSubManager(device)) {
            NDArray array = scratch.create(values, shape).toType(dataType, false);
            array.attach(manager);
            return array;
        }
    }

    /** The builder for {@link Lru}: {@code setStateSize} is required, the rest optional. */
    public static final class Builder {

        private int stateSize;
        private double rMin = 0.9;
        private double rMax = 0.999;
        private double maxPhase = 2 * Math.PI;
        private int chunkLength;
        private boolean returnState;

        Builder() {}

        /**
         * Sets the number of complex states (required).
         *
         * @param stateSize the state size, at least 1
         * @return this builder
         */
        public Builder setStateSize(int stateSize) {
            this.stateSize = stateSize;
            return this;
        }

        /**
         * Sets the smallest initial eigenvalue modulus (default 0.9).
         *
         * @param rMin the lower bound of {@code |lambda|} at initialisation, in (0, 1)
         * @return this builder
         */
        public Builder optRMin(double rMin) {
            this.rMin = rMin;
            return this;
        }

        /**
         * Sets the largest initial eigenvalue modulus (default 0.999).
         *
         * @param rMax the upper bound of {@code |lambda|} at initialisation, in (0, 1)
         * @return this builder
         */
        public Builder optRMax(double rMax) {
            this.rMax = rMax;
            return this;
        }

        /**
         * Sets the largest initial eigenvalue phase (default {@code 2 pi}).
         *
         * @param maxPhase the upper bound of {@code arg(lambda)} at initialisation, in (0, 2 pi]
         * @return this builder
         */
        public Builder optMaxPhase(double maxPhase) {
            this.maxPhase = maxPhase;
            return this;
        }

        /**
         * Sets the number of time steps per chunk of the scan (default 0: {@code ceil(sqrt(L))} for
         * a sequence of length {@code L > 16}, one chunk for shorter ones). It changes speed and
         * memory, not the result (up to float rounding); tune it with {@code ./benchmark layer -p
         * chunkLength=...}. A single step is one multiply-add whatever the setting.
         *
         * @param chunkLength the steps per chunk, or 0 to choose from the sequence length
         * @return this builder
         */
        public Builder optChunkLength(int chunkLength) {
            this.chunkLength = chunkLength;
            return this;
        }

        /**
         * Sets whether the forward pass returns {@code NDList(output, finalState)} instead of
         * {@code NDList(output)} (default false), as {@code RecurrentBlock}'s builder in DJL. The
         * final state has shape {@code (batch, 2, stateSize)} (see {@link Lru}). Like DJL's RNN,
         * the setting belongs to the built block and is not saved with the parameters: build the
         * block with it before loading a model.
         *
         * @param returnState whether to return the final state
         * @return this builder
         */
        public Builder optReturnState(boolean returnState) {
            this.returnState = returnState;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return a new {@link Lru}
         * @throws IllegalArgumentException if a setting is out of range
         */
        public Lru build() {
            if (stateSize < 1) {
                throw new IllegalArgumentException(
                        "Lru state size must be at least 1, got "
                                + stateSize
                                + " (set it with setStateSize)");
            }
            if (!(rMin > 0 && rMin < 1)) {
                throw new IllegalArgumentException("rMin must be in (0, 1), got " + rMin);
            }
            if (!(rMax > 0 && rMax < 1)) {
                throw new IllegalArgumentException("rMax must be in (0, 1), got " + rMax);
            }
            if (rMin > rMax) {
                throw new IllegalArgumentException(
                        "rMin must not exceed rMax, got rMin " + rMin + " > rMax " + rMax);
            }
            if (!(maxPhase > 0 && maxPhase <= 2 * Math.PI)) {
                throw new IllegalArgumentException(
                        "maxPhase must be in (0, 2 pi], got " + maxPhase);
            }
            if (chunkLength < 0) {
                throw new IllegalArgumentException(
                        "chunkLength must be 0 (automatic) or positive, got " + chunkLength);
            }
            return new Lru(this);
        }
    }
}
