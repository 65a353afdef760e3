package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.compressm.ssm.DiagonalScanLayout.Dynamics;
import io.github.compressm.ssm.RealizationCodec.StateSystem;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The S5 layer (Smith, Warrington, Linderman, "Simplified State Space Layers for Sequence
 * Modeling", ICLR 2023) as a DJL block: a multi-input multi-output continuous-time system with one
 * complex diagonal state, discretised with a learnt time step.
 *
 * <p>Per state {@code k}: the continuous-time eigenvalue {@code Lambda = -exp(lambda_re_log) + i
 * lambda_im} (negative real part for every parameter value, so the layer is stable) and the time
 * step {@code Delta = exp(log_step)}. Zero-order hold (the default) gives the discrete system
 *
 * <pre>
 *   lambda = exp(Delta Lambda),   x_t = lambda * x_{t-1} + ((lambda - 1) / Lambda * B) u_t,
 *   y_t = Re(C x_t) + D * u_t
 * </pre>
 *
 * and the bilinear transform ({@link Discretization#BILINEAR}) {@code lambda = (1 + Delta Lambda /
 * 2) / (1 - Delta Lambda / 2)} with input scale {@code Delta / (1 - Delta Lambda / 2)}. Parameters:
 * {@code lambda_re_log, lambda_im, log_step} of shape {@code (state)}, then {@code B_re, B_im,
 * C_re, C_im, D} as in {@link AbstractDiagonalSsm}, which also describes the optional initial and
 * final states, the scan and compression. The output is {@code Re(C x)}, S5's conjugate-symmetric
 * form ({@code 2 Re} there, the factor 2 being part of {@code C} here).
 *
 * <p>Initialisation (the paper's): {@link Initialization#HIPPO_N}, the eigenvalues {@code -1/2 + i
 * omega} of the normal part of HiPPO-LegS of size {@code 2 * stateSize}, one state per conjugate
 * pair; time steps log-uniform in {@code [0.001, 0.1]}; {@code B} and {@code C} complex Gaussian as
 * for {@link Lru} (the paper's {@code V^-1 B} with a unitary {@code V} has that distribution too).
 *
 * <p>Compression hands the layer a reduced discrete system; it maps back to continuous time with
 * one time step for all states, the geometric mean of the current ones: {@code Lambda = log(lambda)
 * / Delta} (zero-order hold) or {@code (2 / Delta) (lambda - 1) / (lambda + 1)} (bilinear), both of
 * negative real part since {@code |lambda| < 1}, and {@code B} divided by the new input scale.
 */
public class S5 extends AbstractDiagonalSsm {

    private static final byte VERSION = 1;

    private static final String LOG_DECAY = "lambda_re_log";
    private static final String FREQUENCY = "lambda_im";
    private static final String LOG_STEP = "log_step";

    private final Initialization initialization;
    private final double minStep;
    private final double maxStep;
    private Discretization discretization;

    S5(Builder builder) {
        super(VERSION, builder, LOG_DECAY, FREQUENCY, LOG_STEP);
        initialization = builder.initialization;
        minStep = builder.minStep;
        maxStep = builder.maxStep;
        discretization = builder.discretization;
    }

    /**
     * Creates a builder for an S5 layer.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns how the continuous-time system is discretised; a loaded model uses the saved one.
     *
     * @return the discretisation
     */
    public Discretization getDiscretization() {
        return discretization;
    }

    /** {@inheritDoc} */
    @Override
    NDArray initialValue(String name, NDManager manager, Shape shape, DataType dataType) {
        switch (name) {
            case LOG_DECAY:
                double[] half = new double[Math.toIntExact(shape.get(0))];
                Arrays.fill(half, Math.log(0.5));
                return ParameterArrays.create(manager, half, shape, dataType);
            case FREQUENCY:
                return ParameterArrays.create(
                        manager,
                        initialization.frequencies(Math.toIntExact(shape.get(0))),
                        shape,
                        dataType);
            default:
                return manager.randomUniform(
                        (float) Math.log(minStep), (float) Math.log(maxStep), shape, dataType);
        }
    }

    /** {@inheritDoc} */
    @Override
    Dynamics dynamics(Map<String, NDArray> parameters) {
        return discretization.dynamics(
                parameters.get(LOG_DECAY).exp(),
                parameters.get(FREQUENCY),
                parameters.get(LOG_STEP).exp());
    }

    /** {@inheritDoc} */
    @Override
    StateSystem stateSystem(Map<String, double[]> parameters) {
        double[] logDecay = parameters.get(LOG_DECAY);
        double[] omega = parameters.get(FREQUENCY);
        double[] logStep = parameters.get(LOG_STEP);
        int n = logDecay.length;
        StateSystem system =
                new StateSystem(new double[n], new double[n], new double[n], new double[n]);
        for (int i = 0; i < n; i++) {
            Complex[] discrete =
                    discretization.discretize(
                            new Complex(-Math.exp(logDecay[i]), omega[i]), Math.exp(logStep[i]));
            system.lambdaRe()[i] = discrete[0].re();
            system.lambdaIm()[i] = discrete[0].im();
            system.scaleRe()[i] = discrete[1].re();
            system.scaleIm()[i] = discrete[1].im();
        }
        return system;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Every state gets the geometric mean of the current time steps.
     */
    @Override
    Map<String, double[]> stateParametersFor(double[] modulus, double[] phase) {
        double logStep = Arrays.stream(values(LOG_STEP)).average().orElseThrow();
        int n = modulus.length;
        double[] logDecay = new double[n];
        double[] omega = new double[n];
        for (int i = 0; i < n; i++) {
            Complex lambda = discretization.continuous(modulus[i], phase[i], Math.exp(logStep));
            logDecay[i] = Math.log(-lambda.re());
            omega[i] = lambda.im();
        }
        double[] steps = new double[n];
        Arrays.fill(steps, logStep);
        return Map.of(LOG_DECAY, logDecay, FREQUENCY, omega, LOG_STEP, steps);
    }

    /** {@inheritDoc} */
    @Override
    void saveSettings(DataOutputStream os) throws IOException {
        // The initialisation settings only matter for fresh parameters: not saved.
        os.writeByte(discretization.ordinal());
    }

    /** {@inheritDoc} */
    @Override
    void loadSettings(byte loadVersion, DataInputStream is) throws IOException {
        int saved = is.readByte();
        if (saved < 0 || saved >= Discretization.values().length) {
            throw new IOException("Unknown S5 discretisation " + saved + " in the saved model");
        }
        discretization = Discretization.values()[saved];
    }

    /** How S5's continuous-time eigenvalues are initialised. */
    public enum Initialization {
        /**
         * The paper's: {@code -1/2 + i omega} from the normal part of HiPPO-LegS of size {@code 2 *
         * stateSize}, the positive {@code omega}.
         */
        HIPPO_N {
            @Override
            double[] frequencies(int n) {
                return HippoN.frequencies(n);
            }
        },
        /** S4D-Lin, the closed-form approximation of HiPPO-N: {@code -1/2 + i pi k}. */
        S4D_LIN {
            @Override
            double[] frequencies(int n) {
                double[] omega = new double[n];
                Arrays.setAll(omega, k -> Math.PI * k);
                return omega;
            }
        };

        /** The imaginary parts {@code omega} of {@code n} eigenvalues. */
        abstract double[] frequencies(int n);
    }

    /** The builder for {@link S5}: {@code setStateSize} is required, the rest optional. */
    public static final class Builder extends BaseBuilder<Builder> {

        private Initialization initialization = Initialization.HIPPO_N;
        private Discretization discretization = Discretization.ZERO_ORDER_HOLD;
        private double minStep = 0.001;
        private double maxStep = 0.1;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets how the eigenvalues are initialised (default {@link Initialization#HIPPO_N}).
         *
         * @param initialization the initialisation
         * @return this builder
         */
        public Builder optInitialization(Initialization initialization) {
            this.initialization = initialization;
            return this;
        }

        /**
         * Sets the discretisation (default {@link Discretization#ZERO_ORDER_HOLD}).
         *
         * @param discretization the discretisation
         * @return this builder
         */
        public Builder optDiscretization(Discretization discretization) {
            this.discretization = discretization;
            return this;
        }

        /**
         * Sets the range of the initial time steps, drawn log-uniformly (default {@code [0.001,
         * 0.1]}).
         *
         * @param minStep the smallest initial step, positive
         * @param maxStep the largest initial step, at least {@code minStep}
         * @return this builder
         */
        public Builder optStepRange(double minStep, double maxStep) {
            this.minStep = minStep;
            this.maxStep = maxStep;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return a new {@link S5}
         * @throws IllegalArgumentException if a setting is out of range
         */
        @Override
        public S5 build() {
            validate("S5");
            if (initialization == null || discretization == null) {
                throw new IllegalArgumentException(
                        "S5 initialisation and discretisation must not be null");
            }
            if (!(minStep > 0 && minStep <= maxStep && Double.isFinite(maxStep))) {
                throw new IllegalArgumentException(
                        "S5 step range must satisfy 0 < minStep <= maxStep, got ["
                                + minStep
                                + ", "
                                + maxStep
                                + "] (set it with optStepRange)");
            }
            return new S5(this);
        }
    }
}
