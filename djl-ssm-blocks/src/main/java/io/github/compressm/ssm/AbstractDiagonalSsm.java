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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of complex diagonal state space layers, as {@link ai.djl.nn.recurrent.RecurrentBlock} is
 * the base of DJL's recurrent layers: a family ({@link Lru}, {@link S5}) only says how its
 * parameters define the discrete system; this class owns everything else.
 *
 * <p>For an input {@code u} of shape {@code (batch, time, features)} every layer computes, with a
 * complex state {@code x_t} of size {@link #getStateSize()},
 *
 * <pre>
 *   x_t = lambda * x_{t-1} + (s * B) u_t,   y_t = Re(C x_t) + D * u_t
 * </pre>
 *
 * where the family derives the discrete eigenvalues {@code lambda} and a complex input scale {@code
 * s} per state from its own parameters ({@link #dynamics}). The base holds the parameters every
 * family shares, {@code B_re, B_im} of shape {@code (state, features)}, {@code C_re, C_im} of shape
 * {@code (features, state)} and {@code D} of shape {@code (features)}, after the family's state
 * parameters, all of shape {@code (state)}. It runs the recurrence as a {@link
 * ChunkedDiagonalScan}, carries an optional state like DJL's recurrent blocks, records signal
 * moments for data-aware compression, replaces the parameters when compression hands it a smaller
 * system, and saves and loads the state size.
 *
 * <p><b>State.</b> The block takes {@code NDList(u)} or {@code NDList(u, initialState)} and, built
 * with {@link BaseBuilder#optReturnState(boolean) optReturnState(true)}, returns {@code NDList(y,
 * finalState)} instead of {@code NDList(y)}. A state is the complex state {@code x} as a real array
 * of shape {@code (batch, 2, stateSize)}: real parts at {@code [:, 0, :]}, imaginary parts at
 * {@code [:, 1, :]}. The initial state {@code x_0} is the state before the first step; without one
 * it is zero. Feeding the final state back with the next part of a sequence gives the outputs of
 * the whole sequence, which is how a trained model runs step by step. Gradients flow through both
 * states.
 *
 * <p><b>New systems.</b> {@link #setRealization} accepts any stable diagonal system. A state with a
 * negative imaginary eigenvalue part is conjugated (eigenvalue, row of {@code B}, column of {@code
 * C}), which leaves {@code Re(C x)} unchanged. A real positive eigenvalue, as balanced truncation
 * produces, gets the phase {@link #REAL_MODE_PHASE} times its decay rate {@code -log|lambda|}: with
 * phase zero and real {@code B} and {@code C} the state sits where the gradients of its phase and
 * of the imaginary parts of {@code B} and {@code C} vanish, so it could never become complex; with
 * the small phase they train, at a change of the transfer function of about {@code
 * REAL_MODE_PHASE^2} relative.
 */
public abstract class AbstractDiagonalSsm extends AbstractBlock implements DiagonalSsmBlock {

    /**
     * The phase a real positive eigenvalue gets, relative to its decay rate {@code -log|lambda|}.
     * Measured on one {@link Lru} state started at the real eigenvalue 0.9 and trained towards
     * {@code 0.9 exp(i)} (Adam, learning rate 0.05): from this phase (1e-3) it reached 0.8 in 100
     * steps; from a phase of 1e-9 it stayed below 1e-6 after 120 steps, its gradient being below
     * Adam's epsilon. An {@link S5} state started at exactly {@code Im Lambda = 0} stayed there;
     * from this phase it reached 0.99.
     */
    public static final double REAL_MODE_PHASE = 0.01;

    /** The smallest eigenvalue modulus represented, to keep logarithms finite. */
    static final double MIN_MODULUS = 1e-30;

    private static final String B_RE = "B_re";
    private static final String B_IM = "B_im";
    private static final String C_RE = "C_re";
    private static final String C_IM = "C_im";
    private static final String D = "D";

    private final List<String> stateParameters;
    private final int chunkLength;
    private final boolean returnState;
    private final SignalMomentRecorder signalMoments = new SignalMomentRecorder();
    private int stateSize;
    private long features = -1;

    /**
     * Creates the block with the family's state parameters first, then {@code B_re, B_im, C_re,
     * C_im, D}: saved parameters are read back in this order.
     *
     * @param version the family's format version, written with the parameters
     * @param builder the shared settings
     * @param stateParameters the names of the family's parameters of shape {@code (state)}, in the
     *     order they are initialised ({@link #initialValue})
     */
    protected AbstractDiagonalSsm(byte version, BaseBuilder<?> builder, String... stateParameters) {
        super(version);
        this.stateParameters = List.of(stateParameters);
        stateSize = builder.stateSize;
        chunkLength = builder.chunkLength;
        returnState = builder.returnState;
        for (String name : stateParameters) {
            addParameter(
                    Parameter.builder()
                            .setName(name)
                            .setType(Parameter.Type.OTHER)
                            .optInitializer((m, shape, type) -> initialValue(name, m, shape, type))
                            .build());
        }
        for (String name : new String[] {B_RE, B_IM, C_RE, C_IM, D}) {
            addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build());
        }
    }

    /**
     * Returns the initial value of one of the family's state parameters. Parameters initialise in
     * the order given to the constructor, so a later one may read an earlier one with {@link
     * #values}.
     *
     * @param name the parameter's name
     * @param manager the manager of the new array
     * @param shape the shape, {@code (state)}
     * @param dataType the data type
     * @return the initial value
     */
    protected abstract NDArray initialValue(
            String name, NDManager manager, Shape shape, DataType dataType);

    /**
     * Computes the discrete system's eigenvalues and input scale from the family's parameters, as
     * differentiable operations.
     *
     * @param parameters the family's state parameters by name, each of shape {@code (state)}, on
     *     the input's device and manager
     * @return the scan's dynamics
     */
    protected abstract Dynamics dynamics(Map<String, NDArray> parameters);

    /**
     * Computes the same as {@link #dynamics}, in double precision.
     *
     * @param parameters the family's state parameters by name
     * @return the eigenvalues and input scales per state
     */
    protected abstract StateSystem stateSystem(Map<String, double[]> parameters);

    /**
     * Computes state parameters whose discrete eigenvalues are {@code modulus * exp(i phase)}; the
     * input scale that goes with them is then read with {@link #stateSystem}. Called before the
     * parameters are replaced, so {@link #values} still reads the current ones.
     *
     * @param modulus the eigenvalue moduli, in {@code [MIN_MODULUS, 1)}
     * @param phase the eigenvalue phases, in {@code (0, pi]}
     * @return the family's state parameters by name
     */
    protected abstract Map<String, double[]> stateParametersFor(double[] modulus, double[] phase);

    /**
     * Writes the family's settings between the state size and the input shapes.
     *
     * @param os the stream
     * @throws IOException if writing fails
     */
    protected abstract void saveSettings(DataOutputStream os) throws IOException;

    /**
     * Reads what {@link #saveSettings} wrote.
     *
     * @param loadVersion the format version of the saved parameters
     * @param is the stream
     * @throws IOException if reading fails
     */
    protected abstract void loadSettings(byte loadVersion, DataInputStream is) throws IOException;

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
     * @return the {@link BaseBuilder#optReturnState(boolean)} setting
     */
    public boolean isReturnState() {
        return returnState;
    }

    /** {@inheritDoc} */
    @Override
    public SignalRecording getSignalMoments() {
        return signalMoments;
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
        Map<String, NDArray> state = new HashMap<>();
        for (String name : stateParameters) {
            state.put(name, parameter(parameterStore, name, u, training));
        }
        NDArray bRe = parameter(parameterStore, B_RE, u, training);
        NDArray bIm = parameter(parameterStore, B_IM, u, training);
        NDArray cRe = parameter(parameterStore, C_RE, u, training);
        NDArray cIm = parameter(parameterStore, C_IM, u, training);
        NDArray d = parameter(parameterStore, D, u, training);
        requireDataType("input", u, d);
        if (initial != null) {
            requireDataType("initial state", initial, d);
        }

        int length = Math.toIntExact(u.getShape().get(1));
        long h = features;
        long n = stateSize;
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
        Dynamics dynamics = dynamics(state);
        // Rows (state, re/im) interleaved: one product drives real and imaginary parts.
        NDArray inputMatrix = dynamics.inputMatrix(bRe, bIm).reshape(2 * n, h);
        // The scan takes (state, re/im x step, column), column m = sequence * chunks + chunk: the
        // layout change goes to the smaller side of the projections, the input's h or the 2n real
        // state coordinates.
        boolean stateSide = 2 * n < h;
        NDArray drive;
        if (stateSide) {
            drive =
                    input.reshape(columns * chunkLength, h)
                            .matMul(inputMatrix.transpose())
                            .reshape(columns, chunkLength, n, 2)
                            .transpose(2, 3, 1, 0)
                            .reshape(n, 2L * chunkLength, columns);
        } else {
            NDArray flatInput =
                    input.reshape(columns, chunkLength, h)
                            .transpose(2, 1, 0)
                            .reshape(h, chunkLength * columns);
            drive = inputMatrix.matMul(flatInput).reshape(n, 2L * chunkLength, columns);
        }

        ChunkedDiagonalScan scan = new ChunkedDiagonalScan(chunkLength, chunks);
        NDArray states =
                scan.scan(
                        dynamics.decay(),
                        dynamics.frequency(),
                        drive,
                        batch,
                        scanLayout(initial, u));

        // Re(C x) = C_re x_re - C_im x_im, with columns (state, re/im) interleaved like the rows.
        NDArray outputMatrix =
                cRe.expandDims(2).concat(cIm.neg().expandDims(2), 2).reshape(h, 2 * n);
        NDArray y;
        if (stateSide) {
            y =
                    states.reshape(n, 2, chunkLength, columns)
                            .transpose(3, 2, 0, 1)
                            .reshape(columns * chunkLength, 2 * n)
                            .matMul(outputMatrix.transpose())
                            .reshape(batch, chunks, chunkLength, h);
        } else {
            // A (batch, chunks, chunkLength, h) view, added to the skip D * u in place: the layout
            // change back to the input's costs no array of its own.
            y =
                    outputMatrix
                            .matMul(states.reshape(2 * n, chunkLength * columns))
                            .reshape(h, chunkLength, batch, chunks)
                            .transpose(2, 3, 1, 0);
        }
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

    /**
     * {@inheritDoc}
     *
     * <p>The output has the input's shape {@code (batch, time, features)}; with {@link
     * BaseBuilder#optReturnState(boolean)} it is followed by the final state's shape {@code (batch,
     * 2, stateSize)}.
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
     * initial state's shape {@code (batch, 2, stateSize)}. {@code B ~ N(0, 1 / (2 features))} and
     * {@code C ~ N(0, 1 / stateSize)} per real and imaginary part, {@code D ~ N(0, 1)}.
     */
    @Override
    protected void prepare(Shape[] inputShapes) {
        requireInputCount(inputShapes.length);
        Shape shape = inputShapes[0];
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException(
                    name() + " expects input of shape (batch, time, features), got " + shape);
        }
        features = shape.get(2);
        if (features < 1) {
            throw new IllegalArgumentException(
                    name() + " needs at least one feature, got input shape " + shape);
        }
        if (inputShapes.length > 1) {
            requireStateShape(inputShapes[1], shape.get(0));
        }
        for (String name : stateParameters) {
            parameters.get(name).setShape(new Shape(stateSize));
        }
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
        Map<String, double[]> values = new HashMap<>();
        for (String name : parameters.keySet()) {
            values.put(name, values(name));
        }
        return realization(values);
    }

    /**
     * Computes the discrete system that given values of this block's parameters define, in double
     * precision, without reading the block's own arrays: how a saved parameter file is read without
     * an engine. The state size and the features are the block's, set by initialisation or by
     * {@link #loadMetadata}.
     *
     * @param values the values of every parameter of the block by name, row-major
     * @return the diagonal realisation of the layer with these parameters
     * @throws IllegalArgumentException if a parameter is missing or has the wrong size
     * @throws IllegalStateException if the block has neither been initialised nor read its metadata
     */
    public DiagonalRealization realization(Map<String, double[]> values) {
        if (features < 1) {
            throw new IllegalStateException(
                    "The " + name() + " block has no feature size yet: initialise it or load it");
        }
        int n = stateSize;
        int h = Math.toIntExact(features);
        Map<String, double[]> state = new HashMap<>();
        for (String name : stateParameters) {
            state.put(name, sized(values, name, n));
        }
        StateSystem system = stateSystem(state);
        double[] bRe = sized(values, B_RE, n * h);
        double[] bIm = sized(values, B_IM, n * h);
        double[] cRe = sized(values, C_RE, h * n);
        double[] cIm = sized(values, C_IM, h * n);
        double[][] bre = new double[n][h];
        double[][] bim = new double[n][h];
        double[][] cre = new double[h][n];
        double[][] cim = new double[h][n];
        for (int i = 0; i < n; i++) {
            Complex scale = new Complex(system.scaleRe()[i], system.scaleIm()[i]);
            for (int j = 0; j < h; j++) {
                Complex b = scale.times(new Complex(bRe[i * h + j], bIm[i * h + j]));
                bre[i][j] = b.re();
                bim[i][j] = b.im();
                cre[j][i] = cRe[j * n + i];
                cim[j][i] = cIm[j * n + i];
            }
        }
        return new DiagonalRealization(system.lambdaRe(), system.lambdaIm(), bre, bim, cre, cim);
    }

    /** {@inheritDoc} */
    @Override
    public void setRealization(DiagonalRealization realization) {
        requireInitialized();
        int h = Math.toIntExact(features);
        if (realization.getInputSize() != h || realization.getOutputSize() != h) {
            throw new IllegalArgumentException(
                    "The realisation must have "
                            + h
                            + " inputs and outputs (the layer's features), got "
                            + realization.getInputSize()
                            + " inputs and "
                            + realization.getOutputSize()
                            + " outputs");
        }
        int n = realization.getStateSize();
        double[] modulus = new double[n];
        double[] phase = new double[n];
        double[] sign = new double[n];
        for (int i = 0; i < n; i++) {
            Complex lambda = realization.eigenvalue(i);
            if (!(lambda.abs() < 1)) {
                throw new IllegalArgumentException(
                        "State "
                                + i
                                + " has |lambda| = "
                                + lambda.abs()
                                + ", but a "
                                + name()
                                + " state must be stable (|lambda| < 1); clamp the"
                                + " eigenvalues of the realisation first");
            }
            sign[i] = lambda.im() < 0 ? -1 : 1;
            modulus[i] = Math.max(lambda.abs(), MIN_MODULUS);
            phase[i] =
                    Math.max(
                            Math.atan2(sign[i] * lambda.im(), lambda.re()),
                            -REAL_MODE_PHASE * Math.log(modulus[i]));
        }
        Map<String, double[]> state = stateParametersFor(modulus, phase);
        StateSystem system = stateSystem(state);
        double[] bRe = new double[n * h];
        double[] bIm = new double[n * h];
        double[] cRe = new double[h * n];
        double[] cIm = new double[h * n];
        for (int i = 0; i < n; i++) {
            Complex[] b = realization.inputRow(i);
            Complex[] c = realization.outputColumn(i);
            double sr = system.scaleRe()[i];
            double si = system.scaleIm()[i];
            double norm = sr * sr + si * si;
            for (int j = 0; j < h; j++) {
                // B = B_eff / s for the conjugated row B_eff = (re, sign * im).
                double re = b[j].re();
                double im = sign[i] * b[j].im();
                bRe[i * h + j] = (re * sr + im * si) / norm;
                bIm[i * h + j] = (im * sr - re * si) / norm;
                cRe[j * n + i] = c[j].re();
                cIm[j * n + i] = sign[i] * c[j].im();
            }
        }
        for (String name : stateParameters) {
            replace(name, state.get(name), new Shape(n));
        }
        replace(B_RE, bRe, new Shape(n, h));
        replace(B_IM, bIm, new Shape(n, h));
        replace(C_RE, cRe, new Shape(h, n));
        replace(C_IM, cIm, new Shape(h, n));
        stateSize = n;
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeInt(stateSize);
        os.writeLong(features);
        saveSettings(os);
        saveInputShapes(os);
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        FormatVersions.require(name(), loadVersion, version);
        stateSize = is.readInt();
        features = is.readLong();
        loadSettings(loadVersion, is);
        readInputShapes(is);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name() + "(stateSize=" + stateSize + ", features=" + features + ')';
    }

    /**
     * Returns a parameter's current values in double precision.
     *
     * @param name the parameter's name
     * @return the values, row-major
     */
    protected double[] values(String name) {
        NDArray array = parameters.get(name).getArray();
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray();
        }
        try (NDArray converted = array.toType(DataType.FLOAT64, false)) {
            return converted.toDoubleArray();
        }
    }

    /**
     * Creates an array of the given values on {@code manager}; the conversion's intermediate arrays
     * are freed.
     *
     * @param manager the manager (and device) of the array
     * @param values the values, row-major
     * @param shape the shape
     * @param dataType the data type
     * @return the new array
     */
    protected static NDArray create(
            NDManager manager, double[] values, Shape shape, DataType dataType) {
        return create(manager, values, shape, dataType, manager.getDevice());
    }

    private static NDArray create(
            NDManager manager, double[] values, Shape shape, DataType dataType, Device device) {
        try (NDManager scratch = manager.newSubManager(device)) {
            // Of the requested type already, toType returns the array itself, which keeps the Java
            // buffer it views alive; a copy from the PyTorch engine would be an alias without it.
            NDArray array = scratch.create(values, shape).toType(dataType, false);
            array.attach(manager);
            return array;
        }
    }

    private String name() {
        return getClass().getSimpleName();
    }

    private double[] sized(Map<String, double[]> values, String name, int size) {
        double[] v = values.get(name);
        if (v == null || v.length != size) {
            throw new IllegalArgumentException(
                    name()
                            + " parameter "
                            + name
                            + " must have "
                            + size
                            + " values, got "
                            + (v == null ? "none" : Integer.toString(v.length)));
        }
        return v;
    }

    private void requireInputCount(int count) {
        if (count < 1 || count > 2) {
            throw new IllegalArgumentException(
                    name()
                            + " expects NDList(input) or NDList(input, initialState), got "
                            + count
                            + " arrays");
        }
    }

    private void requireStateShape(Shape shape, long batch) {
        Shape expected = new Shape(batch, 2, stateSize);
        if (!shape.equals(expected)) {
            throw new IllegalArgumentException(
                    name()
                            + " initial state must have shape (batch, 2, stateSize) = "
                            + expected
                            + " (real parts at [:, 0, :], imaginary parts at [:, 1, :]), got "
                            + shape);
        }
    }

    private void requireDataType(String what, NDArray array, NDArray parameter) {
        if (array.getDataType() != parameter.getDataType()) {
            throw new IllegalArgumentException(
                    name()
                            + " "
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
                    name() + " expects input of shape (batch, time, features), got " + shape);
        }
        if (shape.get(2) != features) {
            throw new IllegalArgumentException(
                    name()
                            + " was initialised for "
                            + features
                            + " features, but the input has shape "
                            + shape
                            + "; expected (batch, time, "
                            + features
                            + ")");
        }
        if (shape.get(1) < 1 || shape.get(0) < 1) {
            throw new IllegalArgumentException(
                    name() + " needs at least one sequence of at least one step, got " + shape);
        }
    }

    private void requireInitialized() {
        if (!isInitialized()) {
            throw new IllegalStateException(
                    "The "
                            + name()
                            + " block is not initialised: call initialize() or run a forward pass"
                            + " first");
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

    /**
     * The discrete system of the states as the scan needs it, computed by a family from its
     * parameters: {@code lambda = exp(-decay + i frequency)} and the complex input scale {@code s}
     * per state.
     *
     * @param decay {@code -log|lambda|}, shape {@code (state)}, positive
     * @param frequency {@code arg(lambda)}, shape {@code (state)}
     * @param scaleRe the real part of {@code s}, shape {@code (state)}
     * @param scaleIm the imaginary part of {@code s}, shape {@code (state)}, or {@code null} for a
     *     real scale
     */
    protected record Dynamics(NDArray decay, NDArray frequency, NDArray scaleRe, NDArray scaleIm) {

        /**
         * The effective input matrix {@code s * B}, shape {@code (state, 2, features)}: real and
         * imaginary rows interleaved.
         */
        NDArray inputMatrix(NDArray bRe, NDArray bIm) {
            long n = decay.getShape().get(0);
            NDArray sr = scaleRe.reshape(n, 1);
            if (scaleIm == null) {
                return bRe.expandDims(1).concat(bIm.expandDims(1), 1).mul(sr.expandDims(2));
            }
            NDArray si = scaleIm.reshape(n, 1);
            NDArray re = bRe.mul(sr).sub(bIm.mul(si));
            NDArray im = bIm.mul(sr).add(bRe.mul(si));
            return re.expandDims(1).concat(im.expandDims(1), 1);
        }
    }

    /**
     * The discrete eigenvalues and input scales of the states, in double precision.
     *
     * @param lambdaRe the real parts of the eigenvalues
     * @param lambdaIm the imaginary parts of the eigenvalues
     * @param scaleRe the real parts of the input scales
     * @param scaleIm the imaginary parts of the input scales
     */
    protected record StateSystem(
            double[] lambdaRe, double[] lambdaIm, double[] scaleRe, double[] scaleIm) {}

    /**
     * The settings every diagonal SSM shares: state size (required), chunk length and whether the
     * final state is returned.
     *
     * @param <T> the concrete builder
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>> {

        int stateSize;
        int chunkLength;
        boolean returnState;

        /** Creates a builder with the shared defaults. */
        protected BaseBuilder() {}

        /**
         * Returns this builder as its concrete type.
         *
         * @return this builder
         */
        protected abstract T self();

        /**
         * Builds the layer.
         *
         * @return a new layer
         * @throws IllegalArgumentException if a setting is out of range
         */
        public abstract AbstractDiagonalSsm build();

        /**
         * Sets the number of complex states (required).
         *
         * @param stateSize the state size, at least 1
         * @return this builder
         */
        public T setStateSize(int stateSize) {
            this.stateSize = stateSize;
            return self();
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
        public T optChunkLength(int chunkLength) {
            this.chunkLength = chunkLength;
            return self();
        }

        /**
         * Sets whether the forward pass returns {@code NDList(output, finalState)} instead of
         * {@code NDList(output)} (default false), as {@code RecurrentBlock}'s builder in DJL. The
         * final state has shape {@code (batch, 2, stateSize)}. Like DJL's RNN, the setting belongs
         * to the built block and is not saved with the parameters: build the block with it before
         * loading a model.
         *
         * @param returnState whether to return the final state
         * @return this builder
         */
        public T optReturnState(boolean returnState) {
            this.returnState = returnState;
            return self();
        }

        /**
         * Checks the shared settings.
         *
         * @param family the layer's name, for the messages
         * @throws IllegalArgumentException if a setting is out of range
         */
        protected void validate(String family) {
            if (stateSize < 1) {
                throw new IllegalArgumentException(
                        family
                                + " state size must be at least 1, got "
                                + stateSize
                                + " (set it with setStateSize)");
            }
            if (chunkLength < 0) {
                throw new IllegalArgumentException(
                        "chunkLength must be 0 (automatic) or positive, got " + chunkLength);
            }
        }
    }
}
