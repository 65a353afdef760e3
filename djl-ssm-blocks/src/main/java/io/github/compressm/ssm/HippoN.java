package io.github.compressm.ssm;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The frequencies of the HiPPO-N matrix, S5's initialisation: the normal part of HiPPO-LegS of size
 * {@code m}, {@code A_N = -1/2 I + S} with the skew-symmetric {@code S[j][k] = -sqrt((2j + 1)(2k +
 * 1)) / 2} for {@code j > k}, has the eigenvalues {@code -1/2 +- i omega}. The {@code omega} are
 * the square roots of the eigenvalues of the symmetric {@code S^T S}, each of which appears twice;
 * they are computed by cyclic Jacobi rotations in double precision ({@code O(m^3)}, once per size).
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

    private static double[] compute(int n) {
        int m = 2 * n;
        double[][] s = new double[m][m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < j; k++) {
                s[j][k] = -0.5 * Math.sqrt((2.0 * j + 1) * (2.0 * k + 1));
                s[k][j] = -s[j][k];
            }
        }
        double[][] gram = new double[m][m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k <= j; k++) {
                double sum = 0;
                for (int i = 0; i < m; i++) {
                    sum += s[i][j] * s[i][k];
                }
                gram[j][k] = sum;
                gram[k][j] = sum;
            }
        }
        double[] squares = symmetricEigenvalues(gram);
        Arrays.sort(squares);
        double[] omega = new double[n];
        for (int i = 0; i < n; i++) {
            // Descending; the two copies of each eigenvalue are neighbours, take the larger.
            omega[i] = Math.sqrt(Math.max(0, squares[m - 1 - 2 * i]));
        }
        return omega;
    }

    /** The eigenvalues of a symmetric matrix by cyclic Jacobi rotations; destroys {@code a}. */
    static double[] symmetricEigenvalues(double[][] a) {
        int m = a.length;
        double scale = 0;
        for (double[] row : a) {
            for (double v : row) {
                scale += v * v;
            }
        }
        for (int sweep = 0; sweep < 64; sweep++) {
            double off = 0;
            for (int p = 0; p < m; p++) {
                for (int q = p + 1; q < m; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * scale) {
                break;
            }
            for (int p = 0; p < m; p++) {
                for (int q = p + 1; q < m; q++) {
                    if (a[p][q] != 0) {
                        rotate(a, p, q);
                    }
                }
            }
        }
        double[] values = new double[m];
        for (int i = 0; i < m; i++) {
            values[i] = a[i][i];
        }
        return values;
    }

    /** Applies the rotation that zeroes {@code a[p][q]}: {@code a = J^T a J}. */
    private static void rotate(double[][] a, int p, int q) {
        double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < a.length; k++) {
            double kp = a[k][p];
            double kq = a[k][q];
            a[k][p] = c * kp - s * kq;
            a[k][q] = s * kp + c * kq;
        }
        for (int k = 0; k < a.length; k++) {
            double pk = a[p][k];
            double qk = a[q][k];
            a[p][k] = c * pk - s * qk;
            a[q][k] = s * pk + c * qk;
        }
    }
}
