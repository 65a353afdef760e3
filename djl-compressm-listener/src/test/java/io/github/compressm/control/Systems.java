package io.github.compressm.control;

import io.github.compressm.ssm.Complex;
import io.github.compressm.ssm.DiagonalRealization;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/** Test helpers: random systems, impulse and frequency responses, sampled H-infinity norms. */
final class Systems {

    private Systems() {}

    /**
     * A random LRU-like layer with the LRU initialisation of MISSION.md: moduli in [rmin, rmax],
     * phases in [0, maxPhase), B ~ N(0, 1/(2H)) times gamma = sqrt(1 - |lambda|^2), C ~ N(0, 1/N).
     */
    static DiagonalRealization randomLru(
            Random rnd, int n, int inputs, int outputs, double rmin, double rmax, double maxPhase) {
        double[] lr = new double[n];
        double[] li = new double[n];
        double[][] br = new double[n][inputs];
        double[][] bi = new double[n][inputs];
        double[][] cr = new double[outputs][n];
        double[][] ci = new double[outputs][n];
        for (int k = 0; k < n; k++) {
            double u1 = rnd.nextDouble();
            double u2 = rnd.nextDouble();
            double mod = Math.sqrt(u1 * (rmax * rmax - rmin * rmin) + rmin * rmin);
            double phase = maxPhase * u2;
            lr[k] = mod * Math.cos(phase);
            li[k] = mod * Math.sin(phase);
            double gamma = Math.sqrt(1 - mod * mod);
            double sb = Math.sqrt(1.0 / (2 * inputs));
            for (int j = 0; j < inputs; j++) {
                br[k][j] = gamma * sb * rnd.nextGaussian();
                bi[k][j] = gamma * sb * rnd.nextGaussian();
            }
            for (int o = 0; o < outputs; o++) {
                cr[o][k] = rnd.nextGaussian() / Math.sqrt(n);
                ci[o][k] = rnd.nextGaussian() / Math.sqrt(n);
            }
        }
        return new DiagonalRealization(lr, li, br, bi, cr, ci);
    }

    /** Impulse response h_k = Re(C diag(lambda)^k B), as [k][output][input]. */
    static double[][][] impulse(DiagonalRealization d, int steps) {
        int n = d.getStateSize();
        int m = d.getInputSize();
        int p = d.getOutputSize();
        double[] lr = d.getLambdaRe();
        double[] li = d.getLambdaIm();
        double[][] xr = d.getBRe();
        double[][] xi = d.getBIm();
        double[][] cr = d.getCRe();
        double[][] ci = d.getCIm();
        double[][][] h = new double[steps][p][m];
        for (int k = 0; k < steps; k++) {
            for (int o = 0; o < p; o++) {
                for (int j = 0; j < m; j++) {
                    double sum = 0;
                    for (int s = 0; s < n; s++) {
                        sum += cr[o][s] * xr[s][j] - ci[o][s] * xi[s][j];
                    }
                    h[k][o][j] = sum;
                }
            }
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < m; j++) {
                    double re = lr[s] * xr[s][j] - li[s] * xi[s][j];
                    double im = lr[s] * xi[s][j] + li[s] * xr[s][j];
                    xr[s][j] = re;
                    xi[s][j] = im;
                }
            }
        }
        return h;
    }

    /** Impulse response C A^k B of a real system, as [k][output][input]. */
    static double[][][] impulse(RealSystem sys, int steps) {
        DMatrixRMaj[] h = sys.impulseResponse(steps);
        double[][][] out = new double[steps][sys.getOutputSize()][sys.getInputSize()];
        for (int k = 0; k < steps; k++) {
            for (int o = 0; o < sys.getOutputSize(); o++) {
                for (int j = 0; j < sys.getInputSize(); j++) {
                    out[k][o][j] = h[k].get(o, j);
                }
            }
        }
        return out;
    }

    /** max |a - b| / max |a| over all entries. */
    static double relativeDifference(double[][][] a, double[][][] b) {
        double max = 0;
        double diff = 0;
        for (int k = 0; k < a.length; k++) {
            for (int o = 0; o < a[k].length; o++) {
                for (int j = 0; j < a[k][o].length; j++) {
                    max = Math.max(max, Math.abs(a[k][o][j]));
                    diff = Math.max(diff, Math.abs(a[k][o][j] - b[k][o][j]));
                }
            }
        }
        return diff / max;
    }

    /**
     * G(z) of a diagonal system with Re output: 0.5 (C (zI - L)^-1 B + conj(C) (zI - conj L)^-1
     * conj(B)); returns {re, im}, each outputs x inputs.
     */
    static double[][][] response(DiagonalRealization d, double zr, double zi) {
        int n = d.getStateSize();
        int m = d.getInputSize();
        int p = d.getOutputSize();
        double[][] gr = new double[p][m];
        double[][] gi = new double[p][m];
        for (int s = 0; s < n; s++) {
            Complex lambda = d.eigenvalue(s);
            Complex[] b = d.inputRow(s);
            Complex[] c = d.outputColumn(s);
            // t = 1 / (z - lambda), u = 1 / (z - conj lambda)
            double ar = zr - lambda.re();
            double ai = zi - lambda.im();
            double den = ar * ar + ai * ai;
            double tr = ar / den;
            double ti = -ai / den;
            ar = zr - lambda.re();
            ai = zi + lambda.im();
            den = ar * ar + ai * ai;
            double ur = ar / den;
            double ui = -ai / den;
            for (int o = 0; o < p; o++) {
                for (int j = 0; j < m; j++) {
                    // c b and conj(c) conj(b) = conj(c b)
                    Complex cb = c[o].times(b[j]);
                    double pr = cb.re();
                    double pi = cb.im();
                    gr[o][j] += 0.5 * ((pr * tr - pi * ti) + (pr * ur + pi * ui));
                    gi[o][j] += 0.5 * ((pr * ti + pi * tr) + (pr * ui - pi * ur));
                }
            }
        }
        return new double[][][] {gr, gi};
    }

    /** G(z) = C (zI - A)^-1 B of a real system; returns {re, im}. */
    static double[][][] response(RealSystem sys, double zr, double zi) {
        int r = sys.getOrder();
        int m = sys.getInputSize();
        int p = sys.getOutputSize();
        DMatrixRMaj a = sys.getA();
        DMatrixRMaj b = sys.getB();
        DMatrixRMaj c = sys.getC();
        ZMatrixRMaj lhs = new ZMatrixRMaj(r, r);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                lhs.set(i, j, (i == j ? zr : 0) - a.get(i, j), i == j ? zi : 0);
            }
        }
        ZMatrixRMaj rhs = new ZMatrixRMaj(r, m);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < m; j++) {
                rhs.set(i, j, b.get(i, j), 0);
            }
        }
        ZMatrixRMaj x = new ZMatrixRMaj(r, m);
        if (!CommonOps_ZDRM.solve(lhs, rhs, x)) {
            throw new IllegalStateException("singular resolvent");
        }
        double[][] gr = new double[p][m];
        double[][] gi = new double[p][m];
        for (int o = 0; o < p; o++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < r; i++) {
                    gr[o][j] += c.get(o, i) * x.getReal(i, j);
                    gi[o][j] += c.get(o, i) * x.getImag(i, j);
                }
            }
        }
        return new double[][][] {gr, gi};
    }

    /** Largest singular value of a complex matrix {re, im}. */
    static double maxSingularValue(double[][][] g) {
        int p = g[0].length;
        int m = g[0][0].length;
        // Real embedding [[Gr, -Gi], [Gi, Gr]] has the same singular values (each twice).
        DMatrixRMaj e = new DMatrixRMaj(2 * p, 2 * m);
        for (int o = 0; o < p; o++) {
            for (int j = 0; j < m; j++) {
                e.set(o, j, g[0][o][j]);
                e.set(o, m + j, -g[1][o][j]);
                e.set(p + o, j, g[1][o][j]);
                e.set(p + o, m + j, g[0][o][j]);
            }
        }
        DMatrixRMaj ete = CommonOps_DDRM.multTransA(e, e, null);
        EigenDecomposition_F64<DMatrixRMaj> eig =
                DecompositionFactory_DDRM.eig(ete.numRows, false, true);
        if (!eig.decompose(ete)) {
            throw new IllegalStateException("eig failed");
        }
        double max = 0;
        for (int i = 0; i < ete.numRows; i++) {
            max = Math.max(max, eig.getEigenvalue(i).real);
        }
        return Math.sqrt(max);
    }

    /** A frequency response evaluator. */
    interface Response {
        double[][][] at(double zr, double zi);
    }

    static Response of(DiagonalRealization d) {
        return (zr, zi) -> response(d, zr, zi);
    }

    static Response of(RealSystem s) {
        return (zr, zi) -> response(s, zr, zi);
    }

    /** {@link #hinfDistance(Response, Response, int, double...)} of two diagonal systems. */
    static double hinfDistance(
            DiagonalRealization d1, DiagonalRealization d2, int points, double... extraAngles) {
        return hinfDistance(of(d1), of(d2), points, extraAngles);
    }

    /**
     * Sampled ||G1 - G2||_inf: max over {@code points} equispaced frequencies plus the given extra
     * angles (eigenvalue phases, where resonance peaks sit). A lower estimate of the true norm.
     */
    static double hinfDistance(Response g1, Response g2, int points, double... extraAngles) {
        double max = 0;
        double[] angles = new double[points + extraAngles.length];
        for (int k = 0; k < points; k++) {
            angles[k] = 2 * Math.PI * k / points;
        }
        System.arraycopy(extraAngles, 0, angles, points, extraAngles.length);
        for (double w : angles) {
            double zr = Math.cos(w);
            double zi = Math.sin(w);
            double[][][] a = g1.at(zr, zi);
            double[][][] b = g2.at(zr, zi);
            for (int part = 0; part < 2; part++) {
                for (int o = 0; o < a[part].length; o++) {
                    for (int j = 0; j < a[part][o].length; j++) {
                        a[part][o][j] -= b[part][o][j];
                    }
                }
            }
            max = Math.max(max, maxSingularValue(a));
        }
        return max;
    }

    /** Phases of the eigenvalues and their conjugates, for peak sampling. */
    static double[] eigenAngles(DiagonalRealization d) {
        double[] out = new double[2 * d.getStateSize()];
        for (int k = 0; k < d.getStateSize(); k++) {
            Complex lambda = d.eigenvalue(k);
            out[2 * k] = Math.atan2(lambda.im(), lambda.re());
            out[2 * k + 1] = -out[2 * k];
        }
        return out;
    }

    static double sum(double[] values, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += values[i];
        }
        return s;
    }

    static boolean allFinite(DiagonalRealization d) {
        for (double[] a :
                new double[][] {
                    d.getLambdaRe(), d.getLambdaIm(),
                }) {
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        for (double[][] m : new double[][][] {d.getBRe(), d.getBIm(), d.getCRe(), d.getCIm()}) {
            for (double[] row : m) {
                for (double v : row) {
                    if (!Double.isFinite(v)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
