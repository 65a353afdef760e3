package io.github.compressm.ssm;

/**
 * The LRU parameterisation in double precision: maps the raw parameters {@code nu_log, theta_log,
 * gamma_log, B, C} to a {@link DiagonalRealization} and back.
 *
 * <p>{@code lambda = exp(-exp(nu_log) + i exp(theta_log))}, the effective input matrix is {@code
 * gamma * B} with {@code gamma = exp(gamma_log)}. The way back normalises every state the way a
 * freshly initialised LRU is normalised: {@code gamma = sqrt(1 - |lambda|^2)} and {@code B = B_eff
 * / gamma}. A state whose eigenvalue has a negative imaginary part is conjugated (eigenvalue, row
 * of {@code B}, column of {@code C}), which leaves {@code Re(C x)} unchanged; a real positive
 * eigenvalue gets the phase {@link #MIN_PHASE} instead of zero, because {@code theta_log = log 0}
 * is {@code -inf}.
 */
final class LruParameterization {

    /**
     * The phase given to states with a real positive eigenvalue: after 10^4 steps it turns the
     * state by 10^-5 radians, far below float precision of the outputs.
     */
    static final double MIN_PHASE = 1e-9;

    /** The smallest eigenvalue modulus represented, to keep {@code nu_log} finite. */
    static final double MIN_MODULUS = 1e-30;

    final double[] nuLog;
    final double[] thetaLog;
    final double[] gammaLog;

    /** {@code state x features}, row-major. */
    final double[] bRe;

    final double[] bIm;

    /** {@code features x state}, row-major. */
    final double[] cRe;

    final double[] cIm;
    final int stateSize;
    final int features;

    LruParameterization(
            int stateSize,
            int features,
            double[] nuLog,
            double[] thetaLog,
            double[] gammaLog,
            double[] bRe,
            double[] bIm,
            double[] cRe,
            double[] cIm) {
        this.stateSize = stateSize;
        this.features = features;
        this.nuLog = nuLog;
        this.thetaLog = thetaLog;
        this.gammaLog = gammaLog;
        this.bRe = bRe;
        this.bIm = bIm;
        this.cRe = cRe;
        this.cIm = cIm;
    }

    /**
     * Computes the diagonal realisation of these parameters.
     *
     * @return the realisation {@code (lambda, gamma B, C)}
     */
    DiagonalRealization toRealization() {
        int n = stateSize;
        int h = features;
        double[] lre = new double[n];
        double[] lim = new double[n];
        double[][] bre = new double[n][h];
        double[][] bim = new double[n][h];
        double[][] cre = new double[h][n];
        double[][] cim = new double[h][n];
        for (int i = 0; i < n; i++) {
            double modulus = Math.exp(-Math.exp(nuLog[i]));
            double phase = Math.exp(thetaLog[i]);
            lre[i] = modulus * Math.cos(phase);
            lim[i] = modulus * Math.sin(phase);
            double gamma = Math.exp(gammaLog[i]);
            for (int j = 0; j < h; j++) {
                bre[i][j] = gamma * bRe[i * h + j];
                bim[i][j] = gamma * bIm[i * h + j];
                cre[j][i] = cRe[j * n + i];
                cim[j][i] = cIm[j * n + i];
            }
        }
        return new DiagonalRealization(lre, lim, bre, bim, cre, cim);
    }

    /**
     * Computes LRU parameters that realise a system.
     *
     * @param realization the system; its input and output sizes must both equal {@code features}
     * @param features the layer's feature size
     * @return the parameters
     * @throws IllegalArgumentException if sizes do not match or an eigenvalue has {@code |lambda|
     *     >= 1}
     */
    static LruParameterization fromRealization(DiagonalRealization realization, int features) {
        if (realization.getInputSize() != features || realization.getOutputSize() != features) {
            throw new IllegalArgumentException(
                    "The realisation must have "
                            + features
                            + " inputs and outputs (the layer's features), got "
                            + realization.getInputSize()
                            + " inputs and "
                            + realization.getOutputSize()
                            + " outputs");
        }
        int n = realization.getStateSize();
        int h = features;
        double[] nu = new double[n];
        double[] theta = new double[n];
        double[] gammaLog = new double[n];
        double[] pbRe = new double[n * h];
        double[] pbIm = new double[n * h];
        double[] pcRe = new double[h * n];
        double[] pcIm = new double[h * n];
        for (int i = 0; i < n; i++) {
            Complex lambda = realization.eigenvalue(i);
            double modulus = lambda.abs();
            if (!(modulus < 1)) {
                throw new IllegalArgumentException(
                        "State "
                                + i
                                + " has |lambda| = "
                                + modulus
                                + ", but an LRU state must be stable (|lambda| < 1); clamp the"
                                + " eigenvalues of the realisation first");
            }
            // Conjugating a state (lambda, row of B, column of C) leaves Re(C x) unchanged.
            double sign = lambda.im() < 0 ? -1 : 1;
            double phase = Math.max(Math.atan2(sign * lambda.im(), lambda.re()), MIN_PHASE);
            double safeModulus = Math.max(modulus, MIN_MODULUS);
            double gamma = Math.sqrt((1 - safeModulus) * (1 + safeModulus));
            nu[i] = Math.log(-Math.log(safeModulus));
            theta[i] = Math.log(phase);
            gammaLog[i] = Math.log(gamma);
            Complex[] b = realization.inputRow(i);
            Complex[] c = realization.outputColumn(i);
            for (int j = 0; j < h; j++) {
                pbRe[i * h + j] = b[j].re() / gamma;
                pbIm[i * h + j] = sign * b[j].im() / gamma;
                pcRe[j * n + i] = c[j].re();
                pcIm[j * n + i] = sign * c[j].im();
            }
        }
        return new LruParameterization(n, h, nu, theta, gammaLog, pbRe, pbIm, pcRe, pcIm);
    }
}
