package io.github.compressm.control.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * Eigenvectors of a real upper Hessenberg matrix for given (possibly complex) eigenvalues, by
 * inverse iteration in complex arithmetic.
 *
 * <p>Each shift costs one {@code O(r^2)} LU factorisation of {@code H - mu I} with partial pivoting
 * between adjacent rows (a Hessenberg matrix needs no more) and {@code O(r^2)} per iteration, as in
 * LAPACK's {@code hsein}; tiny pivots are replaced by {@code eps ||H||}. This fills the gap left by
 * EJML, whose general eigendecomposition returns no eigenvectors for complex eigenvalues.
 */
final class HessenbergInverseIteration {

    private static final int MAX_ITERATIONS = 6;
    private static final double OVERFLOW_GUARD = 1e150;

    private final int r;
    private final double[] h;
    private final double norm;
    private final double[] ur;
    private final double[] ui;
    private final double[] mulRe;
    private final double[] mulIm;
    private final boolean[] swapped;

    /**
     * Prepares inverse iteration for an upper Hessenberg matrix.
     *
     * @param hessenberg the matrix, entries below the first subdiagonal ignored
     */
    HessenbergInverseIteration(DMatrixRMaj hessenberg) {
        this.r = hessenberg.numRows;
        this.h = hessenberg.data.clone();
        double sum = 0;
        for (int i = 0; i < r; i++) {
            for (int j = Math.max(0, i - 1); j < r; j++) {
                sum += h[i * r + j] * h[i * r + j];
            }
        }
        this.norm = Math.max(Math.sqrt(sum), Double.MIN_NORMAL);
        this.ur = new double[r * r];
        this.ui = new double[r * r];
        this.mulRe = new double[r];
        this.mulIm = new double[r];
        this.swapped = new boolean[r];
    }

    /**
     * Returns a unit-norm eigenvector for the eigenvalue {@code mu}.
     *
     * @param muRe real part of the eigenvalue
     * @param muIm imaginary part of the eigenvalue
     * @return {@code {re, im}}, each of length {@code r}
     */
    double[][] eigenvector(double muRe, double muIm) {
        factor(muRe, muIm);
        double[] xr = new double[r];
        double[] xi = new double[r];
        java.util.Arrays.fill(xr, 1 / Math.sqrt(r));
        double[] bestRe = null;
        double[] bestIm = null;
        double bestResidual = Double.POSITIVE_INFINITY;
        double target = 64 * r * Math.ulp(1.0) * norm;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            solve(xr, xi);
            normalize(xr, xi);
            double res = residual(xr, xi, muRe, muIm);
            if (res < bestResidual) {
                bestResidual = res;
                bestRe = xr.clone();
                bestIm = xi.clone();
            }
            if (res <= target) {
                break;
            }
        }
        return new double[][] {bestRe, bestIm};
    }

    private void factor(double muRe, double muIm) {
        java.util.Arrays.fill(ur, 0);
        java.util.Arrays.fill(ui, 0);
        for (int i = 0; i < r; i++) {
            for (int j = Math.max(0, i - 1); j < r; j++) {
                ur[i * r + j] = h[i * r + j];
            }
            ur[i * r + i] -= muRe;
            ui[i * r + i] -= muIm;
        }
        double small = Math.ulp(1.0) * norm;
        for (int k = 0; k < r - 1; k++) {
            int kk = k * r + k;
            int k1 = (k + 1) * r + k;
            double pivAbs = Math.hypot(ur[kk], ui[kk]);
            double subAbs = Math.hypot(ur[k1], ui[k1]);
            swapped[k] = subAbs > pivAbs;
            if (swapped[k]) {
                for (int j = k; j < r; j++) {
                    int a = k * r + j;
                    int b = (k + 1) * r + j;
                    double t = ur[a];
                    ur[a] = ur[b];
                    ur[b] = t;
                    t = ui[a];
                    ui[a] = ui[b];
                    ui[b] = t;
                }
            }
            if (Math.hypot(ur[kk], ui[kk]) < small) {
                ur[kk] = small;
                ui[kk] = 0;
            }
            // l = U[k+1][k] / U[k][k]
            double dRe = ur[kk];
            double dIm = ui[kk];
            double den = dRe * dRe + dIm * dIm;
            double lRe = (ur[k1] * dRe + ui[k1] * dIm) / den;
            double lIm = (ui[k1] * dRe - ur[k1] * dIm) / den;
            mulRe[k] = lRe;
            mulIm[k] = lIm;
            for (int j = k + 1; j < r; j++) {
                int a = k * r + j;
                int b = (k + 1) * r + j;
                ur[b] -= lRe * ur[a] - lIm * ui[a];
                ui[b] -= lRe * ui[a] + lIm * ur[a];
            }
            ur[k1] = 0;
            ui[k1] = 0;
        }
        int last = (r - 1) * r + (r - 1);
        if (Math.hypot(ur[last], ui[last]) < small) {
            ur[last] = small;
            ui[last] = 0;
        }
    }

    /** Solves {@code (H - mu I) y = x} in place with the current factorisation. */
    private void solve(double[] xr, double[] xi) {
        for (int k = 0; k < r - 1; k++) {
            if (swapped[k]) {
                double t = xr[k];
                xr[k] = xr[k + 1];
                xr[k + 1] = t;
                t = xi[k];
                xi[k] = xi[k + 1];
                xi[k + 1] = t;
            }
            xr[k + 1] -= mulRe[k] * xr[k] - mulIm[k] * xi[k];
            xi[k + 1] -= mulRe[k] * xi[k] + mulIm[k] * xr[k];
        }
        for (int i = r - 1; i >= 0; i--) {
            double sRe = xr[i];
            double sIm = xi[i];
            int row = i * r;
            for (int j = i + 1; j < r; j++) {
                sRe -= ur[row + j] * xr[j] - ui[row + j] * xi[j];
                sIm -= ur[row + j] * xi[j] + ui[row + j] * xr[j];
            }
            double dRe = ur[row + i];
            double dIm = ui[row + i];
            double den = dRe * dRe + dIm * dIm;
            xr[i] = (sRe * dRe + sIm * dIm) / den;
            xi[i] = (sIm * dRe - sRe * dIm) / den;
            double mag = Math.hypot(xr[i], xi[i]);
            if (mag > OVERFLOW_GUARD) {
                // Rescale the solved tail and the pending right-hand side alike (linearity).
                double s = 1 / mag;
                for (int j = 0; j < r; j++) {
                    xr[j] *= s;
                    xi[j] *= s;
                }
            }
        }
    }

    private static void normalize(double[] xr, double[] xi) {
        double max = 0;
        for (int i = 0; i < xr.length; i++) {
            max = Math.max(max, Math.max(Math.abs(xr[i]), Math.abs(xi[i])));
        }
        if (max == 0 || !Double.isFinite(max)) {
            throw new IllegalStateException(
                    "Inverse iteration produced a zero or non-finite vector");
        }
        double sum = 0;
        for (int i = 0; i < xr.length; i++) {
            xr[i] /= max;
            xi[i] /= max;
            sum += xr[i] * xr[i] + xi[i] * xi[i];
        }
        double s = 1 / Math.sqrt(sum);
        for (int i = 0; i < xr.length; i++) {
            xr[i] *= s;
            xi[i] *= s;
        }
    }

    /** Returns {@code ||H x - mu x||} for a unit vector {@code x}. */
    private double residual(double[] xr, double[] xi, double muRe, double muIm) {
        double sum = 0;
        for (int i = 0; i < r; i++) {
            double re = -(muRe * xr[i] - muIm * xi[i]);
            double im = -(muRe * xi[i] + muIm * xr[i]);
            for (int j = Math.max(0, i - 1); j < r; j++) {
                double v = h[i * r + j];
                re += v * xr[j];
                im += v * xi[j];
            }
            sum += re * re + im * im;
        }
        return Math.sqrt(sum);
    }
}
