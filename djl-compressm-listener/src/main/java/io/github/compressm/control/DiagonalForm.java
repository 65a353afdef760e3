package io.github.compressm.control;

import io.github.compressm.control.linalg.Spectrum;
import io.github.compressm.ssm.Complex;
import io.github.compressm.ssm.DiagonalRealization;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a real system back to a complex diagonal realisation with output {@code Re(C x)}, the form
 * SSM blocks accept.
 *
 * <p>The real {@code A} is eigendecomposed by the active {@link Kernels} (LAPACK's {@code dgeev},
 * or in pure Java EJML's eigenvalues with inverse-iteration eigenvectors), left eigenvectors as
 * rows of the inverse of the real eigenvector basis {@code W} (columns {@code Re v, Im v} per
 * conjugate pair, {@code v} per real eigenvalue). A conjugate pair {@code (lambda, conj lambda)},
 * {@code Im lambda > 0}, with right eigenvector {@code v} and left row {@code w} becomes
 * <em>one</em> state with eigenvalue {@code lambda}, {@code B} row {@code w B} and {@code C} column
 * {@code 2 C v} (the {@code Re} of one member stands for the pair); a real eigenvalue becomes one
 * state with zero phase, {@code B} row {@code w B}, {@code C} column {@code C v}. Each state is
 * then rescaled so its {@code B} row and {@code C} column have equal norms (a diagonal similarity,
 * which leaves the input-output map unchanged).
 *
 * <p>Safety: a (nearly) defective {@code A}, detected by the 1-norm condition number of {@code W}
 * exceeding {@link #MAX_EIGENVECTOR_CONDITION}, throws an {@link IllegalStateException}; so does a
 * result whose impulse response, probed along random input and output directions, deviates from the
 * real system's by more than {@link #VERIFICATION_TOLERANCE} (relative). Eigenvalues whose modulus
 * round-off pushed above {@code maxModulus} are scaled back to it, with a logged warning.
 */
final class DiagonalForm {

    /** Default largest eigenvalue modulus handed to blocks, {@code 1 - 1e-6}. */
    static final double DEFAULT_MAX_MODULUS = 1 - 1e-6;

    /** Condition number of the eigenvector basis above which {@code A} counts as defective. */
    static final double MAX_EIGENVECTOR_CONDITION = 1e12;

    /** Relative impulse-response mismatch above which the eigendecomposition is rejected. */
    static final double VERIFICATION_TOLERANCE = 1e-6;

    private static final Logger logger = LoggerFactory.getLogger(DiagonalForm.class);
    private static final double WARN_CONDITION = 1e8;
    private static final int VERIFICATION_STEPS = 32;

    private DiagonalForm() {}

    /**
     * Returns the diagonal realisation of a real system, clamping eigenvalue moduli to {@link
     * #DEFAULT_MAX_MODULUS}.
     *
     * @param system the real system
     * @return a diagonal realisation with the same input-output map (up to clamping)
     * @throws IllegalStateException if {@code A} is (nearly) defective or the decomposition fails
     */
    static DiagonalRealization of(RealSystem system) {
        return of(system, DEFAULT_MAX_MODULUS);
    }

    /**
     * Returns the diagonal realisation of a real system.
     *
     * @param system the real system
     * @param maxModulus eigenvalues with a larger modulus are scaled back to it (warning logged);
     *     in {@code (0, 1]}
     * @return a diagonal realisation with {@code (#real eigenvalues) + (#conjugate pairs)} states
     * @throws IllegalArgumentException if {@code maxModulus} is out of range
     * @throws IllegalStateException if {@code A} is (nearly) defective or the decomposition fails
     */
    static DiagonalRealization of(RealSystem system, double maxModulus) {
        return of(system, maxModulus, null);
    }

    /**
     * As {@link #of(RealSystem, double)}, reusing the spectrum of {@code A} computed before.
     *
     * @param spectrum the spectrum of the system's {@code A}, or null to compute it
     */
    static DiagonalRealization of(RealSystem system, double maxModulus, Spectrum spectrum) {
        if (!(maxModulus > 0 && maxModulus <= 1)) {
            throw new IllegalArgumentException("maxModulus must be in (0, 1], got " + maxModulus);
        }
        DMatrixRMaj a = system.getA();
        int r = a.numRows;
        Spectrum spec = spectrum != null ? spectrum : Kernels.spectrum(a);
        List<Integer> kept = representatives(spec.values());
        List<Complex> states = new ArrayList<>();
        // Real eigenvector basis W: one column per real eigenvalue, two (Re v, Im v) per pair.
        DMatrixRMaj w = new DMatrixRMaj(r, r);
        int col = 0;
        for (int index : kept) {
            Complex mu = spec.values()[index];
            states.add(mu);
            double[][] v = spec.eigenvector(index);
            rotateForOrthogonality(v[0], v[1]);
            // A real eigenvalue's eigenvector is real up to that phase, so its Re part is kept.
            setColumn(w, col++, v[0]);
            if (mu.im() != 0) {
                setColumn(w, col++, v[1]);
            }
        }
        if (col != r) {
            throw new IllegalStateException(
                    "Eigenvalues of the reduced system do not pair up: " + col + " of " + r);
        }
        DMatrixRMaj winv = Kernels.invert(w);
        if (winv == null) {
            throw defective(Double.POSITIVE_INFINITY);
        }
        double cond = NormOps_DDRM.inducedP1(w) * NormOps_DDRM.inducedP1(winv);
        if (!(cond <= MAX_EIGENVECTOR_CONDITION)) {
            throw defective(cond);
        }
        if (cond > WARN_CONDITION) {
            logger.warn(
                    "Eigenvector basis of the reduced system is ill-conditioned (condition {});"
                            + " its diagonal form loses about {} digits",
                    cond,
                    Math.round(Math.log10(cond)));
        }
        DMatrixRMaj bt = CommonOps_DDRM.mult(winv, system.getB(), null);
        DMatrixRMaj ct = CommonOps_DDRM.mult(system.getC(), w, null);
        DiagonalRealization result = assemble(states, bt, ct);
        verify(system, result);
        return clamp(result, maxModulus);
    }

    /**
     * Returns the number of diagonal (LRU) states a real state matrix maps to: its real eigenvalues
     * plus its conjugate pairs.
     *
     * @param eigenvalues the eigenvalues of a real square matrix of size {@code r}
     * @return {@code (#real) + (#pairs)}, between {@code ceil(r / 2)} and {@code r}
     */
    static int stateCount(Complex[] eigenvalues) {
        return representatives(eigenvalues).size();
    }

    /**
     * Returns the positions of the real eigenvalues and of the Im > 0 member of each conjugate
     * pair, checking pairing.
     */
    private static List<Integer> representatives(Complex[] values) {
        List<Integer> kept = new ArrayList<>();
        int positive = 0;
        int negative = 0;
        for (int i = 0; i < values.length; i++) {
            Complex c = values[i];
            if (c.im() > 0) {
                positive++;
                kept.add(i);
            } else if (c.im() < 0) {
                negative++;
            } else {
                kept.add(i);
            }
        }
        if (positive != negative) {
            throw new IllegalStateException(
                    "Complex eigenvalues of a real matrix must come in conjugate pairs, got "
                            + positive
                            + " with Im > 0 and "
                            + negative
                            + " with Im < 0");
        }
        return kept;
    }

    private static DiagonalRealization assemble(
            List<Complex> states, DMatrixRMaj bt, DMatrixRMaj ct) {
        int n = states.size();
        int m = bt.numCols;
        int p = ct.numRows;
        double[] lr = new double[n];
        double[] li = new double[n];
        double[][] br = new double[n][m];
        double[][] bi = new double[n][m];
        double[][] cr = new double[p][n];
        double[][] ci = new double[p][n];
        int col = 0;
        for (int s = 0; s < n; s++) {
            Complex mu = states.get(s);
            lr[s] = mu.re();
            li[s] = mu.im();
            if (mu.im() == 0) {
                for (int j = 0; j < m; j++) {
                    br[s][j] = bt.get(col, j);
                }
                for (int o = 0; o < p; o++) {
                    cr[o][s] = ct.get(o, col);
                }
                col++;
            } else {
                // z = Re(v) alpha + Im(v) beta with xi = (alpha - i beta) / 2.
                for (int j = 0; j < m; j++) {
                    br[s][j] = 0.5 * bt.get(col, j);
                    bi[s][j] = -0.5 * bt.get(col + 1, j);
                }
                for (int o = 0; o < p; o++) {
                    cr[o][s] = 2 * ct.get(o, col);
                    ci[o][s] = 2 * ct.get(o, col + 1);
                }
                col += 2;
            }
            balanceScale(s, br, bi, cr, ci);
        }
        return new DiagonalRealization(lr, li, br, bi, cr, ci);
    }

    /** Scales state {@code s} by a positive factor so its B row and C column have equal norms. */
    private static void balanceScale(
            int s, double[][] br, double[][] bi, double[][] cr, double[][] ci) {
        double nb = 0;
        for (int j = 0; j < br[s].length; j++) {
            nb += br[s][j] * br[s][j] + bi[s][j] * bi[s][j];
        }
        double nc = 0;
        for (int o = 0; o < cr.length; o++) {
            nc += cr[o][s] * cr[o][s] + ci[o][s] * ci[o][s];
        }
        if (nb == 0 || nc == 0) {
            return;
        }
        double f = Math.sqrt(Math.sqrt(nc / nb));
        for (int j = 0; j < br[s].length; j++) {
            br[s][j] *= f;
            bi[s][j] *= f;
        }
        for (int o = 0; o < cr.length; o++) {
            cr[o][s] /= f;
            ci[o][s] /= f;
        }
    }

    /**
     * Compares the impulse responses of the real system and the diagonal result along random input
     * and output directions; throws if they disagree beyond {@link #VERIFICATION_TOLERANCE}.
     */
    private static void verify(RealSystem system, DiagonalRealization d) {
        Random random = new Random(12345);
        int m = system.getInputSize();
        int p = system.getOutputSize();
        int r = system.getOrder();
        DMatrixRMaj a = system.getA();
        DMatrixRMaj b = system.getB();
        DMatrixRMaj c = system.getC();
        int n = d.getStateSize();
        for (int probe = 0; probe < 2; probe++) {
            double[] in = gaussian(random, m);
            double[] out = gaussian(random, p);
            double[] x = new double[r];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < m; j++) {
                    x[i] += b.get(i, j) * in[j];
                }
            }
            double[] cw = new double[r];
            for (int i = 0; i < r; i++) {
                for (int o = 0; o < p; o++) {
                    cw[i] += out[o] * c.get(o, i);
                }
            }
            // Diagonal side: per state, g_s = (out^T c_s), f_s = (b_s in), response Re(g f
            // lambda^k).
            Complex[] g = new Complex[n];
            Complex[] f = new Complex[n];
            for (int s = 0; s < n; s++) {
                g[s] = dot(d.outputColumn(s), out);
                f[s] = dot(d.inputRow(s), in);
            }
            double maxRef = 0;
            double maxDiff = 0;
            double[] next = new double[r];
            for (int k = 0; k < VERIFICATION_STEPS; k++) {
                double ref = 0;
                for (int i = 0; i < r; i++) {
                    ref += cw[i] * x[i];
                }
                double diag = 0;
                for (int s = 0; s < n; s++) {
                    diag += g[s].times(f[s]).re();
                    f[s] = f[s].times(d.eigenvalue(s));
                }
                maxRef = Math.max(maxRef, Math.abs(ref));
                maxDiff = Math.max(maxDiff, Math.abs(ref - diag));
                for (int i = 0; i < r; i++) {
                    double sum = 0;
                    for (int j = 0; j < r; j++) {
                        sum += a.get(i, j) * x[j];
                    }
                    next[i] = sum;
                }
                double[] t = x;
                x = next;
                next = t;
            }
            if (!(maxDiff <= VERIFICATION_TOLERANCE * maxRef) && maxDiff > 0) {
                throw new IllegalStateException(
                        "The diagonal form does not reproduce the reduced system: relative"
                                + " impulse-response error "
                                + (maxDiff / maxRef)
                                + " (limit "
                                + VERIFICATION_TOLERANCE
                                + "); the reduced state matrix is numerically defective");
            }
        }
    }

    /** Returns {@code sum_i v_i w_i} for complex {@code v} and real {@code w}. */
    private static Complex dot(Complex[] v, double[] w) {
        double re = 0;
        double im = 0;
        for (int i = 0; i < v.length; i++) {
            re += v[i].re() * w[i];
            im += v[i].im() * w[i];
        }
        return new Complex(re, im);
    }

    private static DiagonalRealization clamp(DiagonalRealization d, double maxModulus) {
        double[] lr = d.getLambdaRe();
        double[] li = d.getLambdaIm();
        boolean changed = false;
        for (int s = 0; s < lr.length; s++) {
            double mod = Math.hypot(lr[s], li[s]);
            if (mod > maxModulus) {
                double f = maxModulus / mod;
                logger.warn(
                        "Eigenvalue {} of the reduced system has modulus {} > {}: scaled back by"
                                + " {} (round-off or a nearly unstable layer)",
                        s,
                        mod,
                        maxModulus,
                        mod - maxModulus);
                lr[s] *= f;
                li[s] *= f;
                changed = true;
            }
        }
        if (!changed) {
            return d;
        }
        return new DiagonalRealization(lr, li, d.getBRe(), d.getBIm(), d.getCRe(), d.getCIm());
    }

    private static IllegalStateException defective(double cond) {
        return new IllegalStateException(
                "The reduced state matrix is (nearly) defective: its eigenvector basis has"
                        + " condition number "
                        + cond
                        + " (limit "
                        + MAX_EIGENVECTOR_CONDITION
                        + "), so it has no reliable diagonal form; choose a different order");
    }

    /**
     * Multiplies {@code v = vr + i vi} by a phase so that {@code v^T v} is real and positive: then
     * {@code Re v} and {@code Im v} are orthogonal and {@code ||Re v|| >= ||Im v||}, which makes
     * the real basis as well conditioned as the eigenvector allows.
     */
    private static void rotateForOrthogonality(double[] vr, double[] vi) {
        double aa = 0;
        double bb = 0;
        double ab = 0;
        for (int i = 0; i < vr.length; i++) {
            aa += vr[i] * vr[i];
            bb += vi[i] * vi[i];
            ab += vr[i] * vi[i];
        }
        double phi = -0.5 * Math.atan2(2 * ab, aa - bb);
        double cos = Math.cos(phi);
        double sin = Math.sin(phi);
        for (int i = 0; i < vr.length; i++) {
            double re = vr[i] * cos - vi[i] * sin;
            double im = vr[i] * sin + vi[i] * cos;
            vr[i] = re;
            vi[i] = im;
        }
    }

    private static void setColumn(DMatrixRMaj w, int col, double[] v) {
        for (int i = 0; i < v.length; i++) {
            w.set(i, col, v[i]);
        }
    }

    private static double[] gaussian(Random random, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }
}
