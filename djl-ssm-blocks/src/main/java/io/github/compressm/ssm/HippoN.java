package io.github.compressm.ssm;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The frequencies of the HiPPO-N matrix, S5's initialisation: the normal part of HiPPO-LegS of size
 * {@code m}, {@code A_N = -1/2 I + S} with the skew-symmetric {@code S[j][k] = -sqrt((2j + 1)(2k +
 * 1)) / 2} for {@code j > k}, has the eigenvalues {@code -1/2 +- i omega}.
 *
 * <p>Householder reflections {@code H} keep a skew-symmetric matrix skew-symmetric ({@code H S H =
 * S + beta (v w^T - w v^T)} with {@code w = S v}) and reduce {@code S} to a tridiagonal one with
 * off-diagonal {@code e}; that one is similar, by the diagonal {@code diag(i^k)}, to {@code i}
 * times the symmetric tridiagonal matrix with zero diagonal and off-diagonal {@code e}, whose
 * eigenvalues {@code +- omega} implicit QL steps find. {@code O(m^3)} in double precision, once per
 * size.
 */
final class HippoN {

    private static final Map<Integer, double[]> CACHE = new ConcurrentHashMap<>();

    private HippoN() {}

    /**
     * Returns the {@code n} positive frequencies of HiPPO-N of size {@code 2n}, one per conjugate
     * pair, in descending order.
     *
     * @param n the number of complex states
     * @return a new array of length {@code n}
     */
    static double[] frequencies(int n) {
        return CACHE.computeIfAbsent(n, HippoN::compute).clone();
    }

    /**
     * Returns the skew-symmetric part {@code S} of HiPPO-LegS of size {@code m}: {@code S_jk =
     * -sqrt((2j + 1)(2k + 1)) / 2} below the diagonal, {@code -S_kj} above, zero on it.
     *
     * @param m the size
     * @return a new {@code m x m} array
     */
    static double[][] skewPart(int m) {
        double[][] s = new double[m][m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < j; k++) {
                s[j][k] = -0.5 * Math.sqrt((2.0 * j + 1) * (2.0 * k + 1));
                s[k][j] = -s[j][k];
            }
        }
        return s;
    }

    private static double[] compute(int n) {
        int m = 2 * n;
        double[] eigenvalues = symmetricTridiagonalEigenvalues(skewTridiagonal(skewPart(m)));
        Arrays.sort(eigenvalues);
        double[] omega = new double[n];
        for (int i = 0; i < n; i++) {
            omega[i] = Math.abs(eigenvalues[m - 1 - i]);
        }
        return omega;
    }

    /**
     * Reduces a skew-symmetric matrix (destroyed) to tridiagonal form by Householder reflections.
     *
     * @return the subdiagonal {@code e[k] = T[k + 1][k]}, length {@code m - 1}
     */
    private static double[] skewTridiagonal(double[][] a) {
        int m = a.length;
        for (int k = 0; k < m - 2; k++) {
            // v reflects a[k + 1.., k] onto its first entry.
            double norm = 0;
            for (int i = k + 1; i < m; i++) {
                norm += a[i][k] * a[i][k];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                continue;
            }
            double[] v = new double[m];
            for (int i = k + 1; i < m; i++) {
                v[i] = a[i][k];
            }
            v[k + 1] += Math.copySign(norm, a[k + 1][k]);
            double vv = 0;
            for (int i = k + 1; i < m; i++) {
                vv += v[i] * v[i];
            }
            double beta = 2 / vv;
            double[] w = new double[m];
            for (int i = k; i < m; i++) {
                double sum = 0;
                for (int j = k + 1; j < m; j++) {
                    sum += a[i][j] * v[j];
                }
                w[i] = sum;
            }
            for (int i = k; i < m; i++) {
                for (int j = k; j < m; j++) {
                    a[i][j] += beta * (v[i] * w[j] - w[i] * v[j]);
                }
            }
        }
        double[] e = new double[m - 1];
        for (int k = 0; k < m - 1; k++) {
            e[k] = a[k + 1][k];
        }
        return e;
    }

    /**
     * The eigenvalues of the symmetric tridiagonal matrix with zero diagonal and the given
     * off-diagonal, by implicit QL steps with Wilkinson shifts.
     */
    private static double[] symmetricTridiagonalEigenvalues(double[] offDiagonal) {
        int size = offDiagonal.length + 1;
        double[] d = new double[size];
        double[] e = Arrays.copyOf(offDiagonal, size);
        for (int l = 0; l < size; l++) {
            for (int iteration = 0; ; iteration++) {
                int mm = l;
                while (mm < size - 1) {
                    double dd = Math.abs(d[mm]) + Math.abs(d[mm + 1]);
                    if (Math.abs(e[mm]) <= 1e-15 * dd) {
                        break;
                    }
                    mm++;
                }
                if (mm == l) {
                    break;
                }
                if (iteration == 60) {
                    throw new IllegalStateException("HiPPO-N eigenvalues did not converge");
                }
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Math.hypot(g, 1);
                g = d[mm] - d[l] + e[l] / (g + Math.copySign(r, g));
                double sin = 1;
                double cos = 1;
                double p = 0;
                int i = mm - 1;
                for (; i >= l; i--) {
                    double f = sin * e[i];
                    double b = cos * e[i];
                    r = Math.hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0) {
                        d[i + 1] -= p;
                        e[mm] = 0;
                        break;
                    }
                    sin = f / r;
                    cos = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * sin + 2 * cos * b;
                    p = sin * r;
                    d[i + 1] = g + p;
                    g = cos * r - b;
                }
                if (r == 0 && i >= l) {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[mm] = 0;
            }
        }
        return d;
    }
}
