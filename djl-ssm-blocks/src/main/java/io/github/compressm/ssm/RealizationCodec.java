package io.github.compressm.ssm;

import static io.github.compressm.ssm.AbstractDiagonalSsm.REAL_MODE_PHASE;
import static io.github.compressm.ssm.DiagonalParameters.B_IM;
import static io.github.compressm.ssm.DiagonalParameters.B_RE;
import static io.github.compressm.ssm.DiagonalParameters.C_IM;
import static io.github.compressm.ssm.DiagonalParameters.C_RE;

import java.util.HashMap;
import java.util.Map;

/**
 * Converts between the parameter values of a diagonal layer and its {@link DiagonalRealization}
 * {@code (lambda, s * B, C)}, in double precision. The family's part, its state parameters and the
 * input scale {@code s} they give, comes from {@link AbstractDiagonalSsm#stateSystem} and {@link
 * AbstractDiagonalSsm#stateParametersFor}.
 *
 * <p>Towards the parameters, a state with a negative imaginary eigenvalue part is conjugated
 * (eigenvalue, row of {@code B}, column of {@code C}), which leaves {@code Re(C x)} unchanged, and
 * a real positive eigenvalue gets the phase {@link AbstractDiagonalSsm#REAL_MODE_PHASE} times its
 * decay rate.
 */
final class RealizationCodec {

    /** The smallest eigenvalue modulus represented, to keep logarithms finite. */
    static final double MIN_MODULUS = 1e-30;

    private final AbstractDiagonalSsm family;
    private final DiagonalSsmChecks checks;

    /**
     * Creates the codec of a layer.
     *
     * @param family the layer
     * @param checks the layer's checks
     */
    RealizationCodec(AbstractDiagonalSsm family, DiagonalSsmChecks checks) {
        this.family = family;
        this.checks = checks;
    }

    /**
     * Returns the system that parameter values define.
     *
     * @param values the values of the layer's parameters by name, row-major
     * @return the realisation {@code (lambda, s * B, C)}
     */
    DiagonalRealization encode(Map<String, double[]> values) {
        StateSystem system = family.stateSystem(values);
        int n = system.lambdaRe().length;
        double[] bRe = values.get(B_RE);
        double[] bIm = values.get(B_IM);
        double[] cRe = values.get(C_RE);
        double[] cIm = values.get(C_IM);
        int h = bRe.length / n;
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

    /**
     * Returns the parameter values that define a system; {@code D} is not part of it.
     *
     * @param realization the system, with the layer's inputs and outputs
     * @return the values of the family's state parameters and of {@code B_re, B_im, C_re, C_im} by
     *     name, row-major
     * @throws IllegalArgumentException if a state is not stable
     */
    Map<String, double[]> decode(DiagonalRealization realization) {
        int n = realization.getStateSize();
        int h = realization.getInputSize();
        double[] modulus = new double[n];
        double[] phase = new double[n];
        double[] sign = new double[n];
        for (int i = 0; i < n; i++) {
            Complex lambda = realization.eigenvalue(i);
            checks.requireStable(i, lambda);
            sign[i] = lambda.im() < 0 ? -1 : 1;
            modulus[i] = Math.max(lambda.abs(), MIN_MODULUS);
            phase[i] =
                    Math.max(
                            Math.atan2(sign[i] * lambda.im(), lambda.re()),
                            -REAL_MODE_PHASE * Math.log(modulus[i]));
        }
        Map<String, double[]> state = family.stateParametersFor(modulus, phase);
        StateSystem system = family.stateSystem(state);
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
        Map<String, double[]> values = new HashMap<>(state);
        values.put(B_RE, bRe);
        values.put(B_IM, bIm);
        values.put(C_RE, cRe);
        values.put(C_IM, cIm);
        return values;
    }

    /**
     * The discrete eigenvalues and input scales of the states, in double precision, computed by a
     * family from its parameters ({@link AbstractDiagonalSsm#stateSystem}).
     *
     * @param lambdaRe the real parts of the eigenvalues
     * @param lambdaIm the imaginary parts of the eigenvalues
     * @param scaleRe the real parts of the input scales
     * @param scaleIm the imaginary parts of the input scales
     */
    record StateSystem(double[] lambdaRe, double[] lambdaIm, double[] scaleRe, double[] scaleIm) {}
}
