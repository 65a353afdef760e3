package io.github.compressm.ssm;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.compressm.ssm.DiagonalScanLayout.Dynamics;
import io.github.compressm.ssm.RealizationCodec.StateSystem;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
 * s} per state from its own parameters. The base holds the parameters every family shares, {@code
 * B_re, B_im} of shape {@code (state, features)}, {@code C_re, C_im} of shape {@code (features,
 * state)} and {@code D} of shape {@code (features)}, after the family's state parameters, all of
 * shape {@code (state)}. It runs the recurrence as a {@link ChunkedDiagonalScan} or by fast Fourier
 * transforms ({@link BaseBuilder#optScan(DiagonalScan)}), carries an optional state like DJL's
 * recurrent blocks, records signal moments for data-aware compression, replaces the parameters when
 * compression hands it a smaller system, and saves and loads the state size.
 *
 * <p><b>State.</b> The block takes {@code NDList(u)} or {@code NDList(u, initialState)} and, built
 * with {@link BaseBuilder#optReturnState(boolean) optReturnState(true)}, returns {@code NDList(y,
 * finalState)}. A state is the complex state {@code x} as a real array of shape {@code (batch, 2,
 * stateSize)} (real parts at {@code [:, 0, :]}, imaginary at {@code [:, 1, :]}), zero by default.
 * Feeding the final state back with the next part of a sequence gives the outputs of the whole
 * sequence, which is how a trained model runs step by step; gradients flow through both states.
 *
 * <p><b>New systems.</b> {@link #setRealization} accepts any stable diagonal system. A state with a
 * negative imaginary eigenvalue part is conjugated, which leaves {@code Re(C x)} unchanged; a real
 * positive eigenvalue gets the phase {@link #REAL_MODE_PHASE} times its decay rate, so that it can
 * still become complex in training.
 */
public abstract class AbstractDiagonalSsm extends AbstractSsmBlock implements DiagonalSsmBlock {

    /**
     * The phase a real positive eigenvalue gets, relative to its decay rate {@code -log|lambda|}:
     * with phase zero and real {@code B} and {@code C} the gradients of the phase and of the
     * imaginary parts vanish, so the state could never become complex; this phase changes the
     * transfer function by about {@code REAL_MODE_PHASE^2} relative.
     */
    public static final double REAL_MODE_PHASE = 0.01;

    private final DiagonalScan scan;
    private final DiagonalScanLayout layout;
    private final FftDiagonalScan fftScan;
    private final DiagonalSsmChecks checks = new DiagonalSsmChecks(getClass().getSimpleName());
    private final RealizationCodec codec = new RealizationCodec(this, checks);

    /**
     * Creates the block with the family's state parameters first, then {@code B_re, B_im, C_re,
     * C_im, D}: saved parameters are read back in this order.
     *
     * @param version the family's format version, written with the parameters
     * @param builder the shared settings
     * @param stateParameters the names of the family's parameters of shape {@code (state)}, in the
     *     order they initialise
     */
    protected AbstractDiagonalSsm(byte version, BaseBuilder<?> builder, String... stateParameters) {
        super(version, builder.stateSize, builder.returnState);
        scan = builder.scan;
        layout = new DiagonalScanLayout(builder.chunkLength, builder.returnState);
        fftScan = new FftDiagonalScan(builder.returnState);
        for (Parameter parameter :
                DiagonalParameters.create(
                        List.of(stateParameters),
                        name -> (m, shape, type) -> initialValue(name, m, shape, type))) {
            addParameter(parameter);
        }
    }

    /**
     * Returns the initial value of the family's state parameter {@code name}, of shape {@code
     * (state)}. Parameters initialise in the order given to the constructor, so a later one may
     * read an earlier one with {@link #values}.
     */
    abstract NDArray initialValue(String name, NDManager manager, Shape shape, DataType dataType);

    /**
     * Computes the discrete system's eigenvalues and input scale from the family's state parameters
     * (by name, each of shape {@code (state)}, on the input's device and manager; other parameters
     * may be present), as differentiable operations.
     */
    abstract Dynamics dynamics(Map<String, NDArray> parameters);

    /**
     * Computes the same as {@link #dynamics}, in double precision: the eigenvalues and input scales
     * per state.
     */
    abstract StateSystem stateSystem(Map<String, double[]> parameters);

    /**
     * Computes state parameters, by name, whose discrete eigenvalues are {@code modulus * exp(i
     * phase)}, with {@code modulus} in {@code [1e-30, 1)} and {@code phase} in {@code (0, pi]}; the
     * input scale that goes with them is then read with {@link #stateSystem}. Called before the
     * parameters are replaced, so {@link #values} still reads the current ones.
     */
    abstract Map<String, double[]> stateParametersFor(double[] modulus, double[] phase);

    /** Writes the family's settings between the state size and the input shapes. */
    abstract void saveSettings(DataOutputStream os) throws IOException;

    /** Reads what {@link #saveSettings} wrote, saved in format version {@code loadVersion}. */
    abstract void loadSettings(byte loadVersion, DataInputStream is) throws IOException;

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        checks.requireInputs(inputs, features, stateSize);
        NDArray u = inputs.get(0);
        Map<String, NDArray> values =
                ParameterArrays.views(parameterStore, parameters, u, training);
        checks.requireDataTypes(inputs, values.get(DiagonalParameters.D));
        Dynamics dynamics = dynamics(values);
        NDList outputs =
                scan == DiagonalScan.FFT
                        ? fftScan.forward(inputs, dynamics, values)
                        : layout.forward(inputs, dynamics, values);
        if (training) {
            signalMoments.recordInput(u);
            outputs.set(0, signalMoments.probeOutput(outputs.get(0)));
        }
        return outputs;
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
        return layout.outputShapes(inputShapes[0], stateSize);
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
        checks.requireInputRank(inputShapes);
        features = inputShapes[0].get(2);
        checks.requireShapes(inputShapes, stateSize);
        DiagonalParameters.prepare(parameters, stateSize, features);
    }

    /** {@inheritDoc} */
    @Override
    public DiagonalRealization getRealization() {
        checks.requireInitialized(isInitialized());
        return codec.encode(ParameterArrays.values(parameters));
    }

    /**
     * Computes the discrete system that given parameter values define, in double precision, without
     * reading the block's own arrays (how a saved file is read without an engine).
     *
     * @param values the values of every parameter of the block by name, row-major
     * @return the diagonal realisation of the layer with these parameters
     * @throws IllegalArgumentException if a parameter is missing or has the wrong size
     * @throws IllegalStateException if the block has neither been initialised nor read its metadata
     */
    public DiagonalRealization realization(Map<String, double[]> values) {
        checks.requireParameterValues(values, parameters.keySet(), stateSize, features);
        return codec.encode(values);
    }

    /** {@inheritDoc} */
    @Override
    public void setRealization(DiagonalRealization realization) {
        checks.requireInitialized(isInitialized());
        checks.requireSystemSize(realization, features);
        Map<String, double[]> values = codec.decode(realization);
        DiagonalParameters.replace(parameters, values, realization.getStateSize(), features);
        stateSize = realization.getStateSize();
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
        FormatVersions.require(getClass().getSimpleName(), loadVersion, version);
        stateSize = is.readInt();
        features = is.readLong();
        loadSettings(loadVersion, is);
        readInputShapes(is);
    }

    /**
     * Returns how the layer computes its recurrence.
     *
     * @return the scan setting
     */
    public DiagonalScan getScan() {
        return scan;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return String.format(
                "%s(stateSize=%d, features=%d)", getClass().getSimpleName(), stateSize, features);
    }

    /** Returns a parameter's current values in double precision, row-major. */
    double[] values(String name) {
        return ParameterArrays.values(parameters.get(name));
    }

    /**
     * The settings every diagonal SSM shares: state size (required), the scan and its chunk length,
     * and whether the final state is returned.
     *
     * @param <T> the concrete builder
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>> {

        int stateSize;
        int chunkLength;
        DiagonalScan scan = DiagonalScan.CHUNKED;
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
         * Sets the number of time steps per chunk of the chunked scan (default 0: {@code
         * ceil(sqrt(L))} for a sequence of length {@code L > 16}, one chunk for shorter ones). It
         * changes speed and memory, not the result (up to float rounding); tune it with {@code
         * ./benchmark layer -p chunkLength=...}. A single step is one multiply-add whatever the
         * setting. It does not apply to {@link DiagonalScan#FFT}.
         *
         * @param chunkLength the steps per chunk, or 0 to choose from the sequence length
         * @return this builder
         */
        public T optChunkLength(int chunkLength) {
            this.chunkLength = chunkLength;
            return self();
        }

        /**
         * Sets how the recurrence is computed (default {@link DiagonalScan#CHUNKED}, the faster of
         * the two on a CPU at every measured state size; {@link DiagonalScan#FFT} may pay on a
         * device with fast transforms). Like the chunk length it changes speed and memory, not the
         * result (up to float rounding), and is not saved with the parameters; compare the two on
         * the target device with {@code ./benchmark scan}.
         *
         * @param scan the scan, {@code CHUNKED} or {@code FFT}
         * @return this builder
         */
        public T optScan(DiagonalScan scan) {
            this.scan = scan;
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
            DiagonalSsmChecks.requireSettings(family, stateSize, chunkLength, scan);
        }
    }
}
