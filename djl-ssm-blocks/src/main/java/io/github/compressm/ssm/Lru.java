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
import java.util.Map;

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
 * (state)}, then {@code B_re, B_im, C_re, C_im, D} as in {@link AbstractDiagonalSsm}, which also
 * describes the optional initial and final states, the scan and compression.
 *
 * <p>Initialisation (the paper's): {@code |lambda|} uniform on the ring {@code [rMin, rMax]} (in
 * {@code |lambda|^2}), the phase uniform in {@code [0, maxPhase]}, {@code gamma = sqrt(1 -
 * |lambda|^2)}. A system handed over by compression is normalised the same way: {@code gamma =
 * sqrt(1 - |lambda|^2)} and {@code B = B_eff / gamma}.
 */
public class Lru extends AbstractDiagonalSsm {

    private static final byte VERSION = 1;

    private static final String NU_LOG = "nu_log";
    private static final String THETA_LOG = "theta_log";
    private static final String GAMMA_LOG = "gamma_log";

    /** The smallest initial phase, to keep {@code theta_log} finite. */
    private static final double MIN_INITIAL_PHASE = 1e-9;

    private final double rMin;
    private final double rMax;
    private final double maxPhase;

    Lru(Builder builder) {
        // gamma_log after nu_log: parameters initialise in this order.
        super(VERSION, builder, NU_LOG, THETA_LOG, GAMMA_LOG);
        rMin = builder.rMin;
        rMax = builder.rMax;
        maxPhase = builder.maxPhase;
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
    NDArray initialValue(String name, NDManager manager, Shape shape, DataType dataType) {
        switch (name) {
            case NU_LOG:
                double lo = rMin * rMin;
                return manager.randomUniform(0f, 1f, shape, dataType)
                        .mul(rMax * rMax - lo)
                        .add(lo)
                        .log()
                        .mul(-0.5)
                        .log();
            case THETA_LOG:
                return manager.randomUniform(0f, 1f, shape, dataType)
                        .mul(maxPhase)
                        .maximum(MIN_INITIAL_PHASE)
                        .log();
            default:
                double[] nu = values(NU_LOG);
                double[] gammaLog = new double[nu.length];
                for (int i = 0; i < nu.length; i++) {
                    gammaLog[i] = 0.5 * Math.log1p(-Math.exp(-2 * Math.exp(nu[i])));
                }
                return ParameterArrays.create(manager, gammaLog, shape, dataType);
        }
    }

    /** {@inheritDoc} */
    @Override
    Dynamics dynamics(Map<String, NDArray> parameters) {
        return new Dynamics(
                parameters.get(NU_LOG).exp(),
                parameters.get(THETA_LOG).exp(),
                parameters.get(GAMMA_LOG).exp(),
                null);
    }

    /** {@inheritDoc} */
    @Override
    StateSystem stateSystem(Map<String, double[]> parameters) {
        double[] nuLog = parameters.get(NU_LOG);
        double[] thetaLog = parameters.get(THETA_LOG);
        double[] gammaLog = parameters.get(GAMMA_LOG);
        int n = nuLog.length;
        double[] re = new double[n];
        double[] im = new double[n];
        double[] gamma = new double[n];
        for (int i = 0; i < n; i++) {
            double modulus = Math.exp(-Math.exp(nuLog[i]));
            double phase = Math.exp(thetaLog[i]);
            re[i] = modulus * Math.cos(phase);
            im[i] = modulus * Math.sin(phase);
            gamma[i] = Math.exp(gammaLog[i]);
        }
        return new StateSystem(re, im, gamma, new double[n]);
    }

    /** {@inheritDoc} */
    @Override
    Map<String, double[]> stateParametersFor(double[] modulus, double[] phase) {
        int n = modulus.length;
        double[] nuLog = new double[n];
        double[] thetaLog = new double[n];
        double[] gammaLog = new double[n];
        for (int i = 0; i < n; i++) {
            nuLog[i] = Math.log(-Math.log(modulus[i]));
            thetaLog[i] = Math.log(phase[i]);
            gammaLog[i] = 0.5 * Math.log((1 - modulus[i]) * (1 + modulus[i]));
        }
        return Map.of(NU_LOG, nuLog, THETA_LOG, thetaLog, GAMMA_LOG, gammaLog);
    }

    /** {@inheritDoc} */
    @Override
    void saveSettings(DataOutputStream os) throws IOException {
        os.writeDouble(rMin);
        os.writeDouble(rMax);
        os.writeDouble(maxPhase);
    }

    /** {@inheritDoc} */
    @Override
    void loadSettings(byte loadVersion, DataInputStream is) throws IOException {
        // The initialisation ranges only matter for fresh parameters; the saved ones are kept.
        is.readDouble();
        is.readDouble();
        is.readDouble();
    }

    /** The builder for {@link Lru}: {@code setStateSize} is required, the rest optional. */
    public static final class Builder extends BaseBuilder<Builder> {

        private double rMin = 0.9;
        private double rMax = 0.999;
        private double maxPhase = 2 * Math.PI;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
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
         * Builds the layer.
         *
         * @return a new {@link Lru}
         * @throws IllegalArgumentException if a setting is out of range
         */
        @Override
        public Lru build() {
            validate("Lru");
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
            return new Lru(this);
        }
    }
}
