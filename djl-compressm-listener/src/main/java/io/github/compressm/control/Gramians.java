package io.github.compressm.control;

import io.github.compressm.ssm.Complex;
import io.github.compressm.ssm.DiagonalRealization;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The controllability Gramian {@code P = A P A^T + B B^T} and observability Gramian {@code Q = A^T
 * Q A + C^T C} of a real discrete-time system.
 *
 * <p>For a diagonal realisation the Gramians have a closed form costing {@code O(n^2 (inputs +
 * outputs))} with no Lyapunov solve; {@link #of(DiagonalRealization, GramianMode)} returns them in
 * the coordinates of {@link RealSystem#fromDiagonal}. For any dense real system {@link
 * #of(RealSystem)} solves the Lyapunov equations with {@link Kernels#solveLyapunov}.
 */
final class Gramians {

    private final DMatrixRMaj p;
    private final DMatrixRMaj q;

    private Gramians(DMatrixRMaj p, DMatrixRMaj q) {
        this.p = p;
        this.q = q;
    }

    /**
     * Returns the Gramians of a diagonal realisation in closed form, as {@code 2n x 2n} real
     * matrices in the coordinates of {@link RealSystem#fromDiagonal}.
     *
     * <p>{@link GramianMode#REAL_OUTPUT}: the Gramians of the real system itself. They follow from
     * the blocks of the conjugate system's Gramian {@code [[M, N], [conj N, conj M]]}, {@code M_kl
     * = (B B^H)_kl / (1 - lambda_k conj lambda_l)}, {@code N_kl = (B B^T)_kl / (1 - lambda_k
     * lambda_l)}, mapped to real coordinates ({@code P_real = T^-1 P_conj T^-H} with {@code T} the
     * fixed map {@code (Re x, Im x) -> (x, conj x)}): the 2x2 block {@code (k, l)} is {@code
     * [[Re(N+M), Im(N-M)], [Im(N+M), Re(M-N)]] / 2}; {@code Q} likewise from the output side.
     *
     * <p>{@link GramianMode#COMPLEX_OUTPUT_REFERENCE}: the reference's complex Gramians {@code M}
     * and {@code Q_kl = (C^H C)_kl / (1 - conj lambda_k lambda_l)}, embedded as real matrices
     * (block {@code [[Re, -Im], [Im, Re]]}), which are the Gramians of the complex system seen with
     * complex inputs and outputs; their Hankel singular values are the complex ones, each twice.
     *
     * @param d the diagonal realisation, every {@code |lambda| < 1}
     * @param mode which Gramians
     * @return the Gramians
     * @throws IllegalArgumentException if an eigenvalue has modulus {@code >= 1}
     */
    static Gramians of(DiagonalRealization d, GramianMode mode) {
        requireStable(d);
        int n = d.getStateSize();
        double[] lr = d.getLambdaRe();
        double[] li = d.getLambdaIm();
        // Input side: rows are states.
        DMatrixRMaj br = new DMatrixRMaj(d.getBRe());
        DMatrixRMaj bi = new DMatrixRMaj(d.getBIm());
        // Output side: g_k = c_k lambda_k^t, so use C^T (states x outputs).
        DMatrixRMaj cr = CommonOps_DDRM.transpose(new DMatrixRMaj(d.getCRe()), null);
        DMatrixRMaj ci = CommonOps_DDRM.transpose(new DMatrixRMaj(d.getCIm()), null);
        DMatrixRMaj p = new DMatrixRMaj(2 * n, 2 * n);
        DMatrixRMaj q = new DMatrixRMaj(2 * n, 2 * n);
        if (mode == GramianMode.REAL_OUTPUT) {
            fillReal(lr, li, br, bi, p, false);
            fillReal(lr, li, cr, ci, q, true);
        } else {
            fillRealified(lr, li, br, bi, p, false);
            // (C^H C)_kl = sum_o conj(c_ok) c_ol: the conjugate of the input-side product of C^T.
            fillRealified(lr, li, cr, ci, q, true);
        }
        return new Gramians(p, q);
    }

    /**
     * Returns the Gramians of a dense real system by solving the two discrete Lyapunov equations.
     *
     * @param sys the system, {@code A} stable
     * @return the Gramians
     * @throws IllegalArgumentException if {@code A} is not stable
     */
    static Gramians of(RealSystem sys) {
        DMatrixRMaj a = sys.getA();
        DMatrixRMaj b = sys.getB();
        DMatrixRMaj c = sys.getC();
        DMatrixRMaj bbt = CommonOps_DDRM.multTransB(b, b, null);
        DMatrixRMaj ctc = CommonOps_DDRM.multTransA(c, c, null);
        DMatrixRMaj p = Kernels.solveLyapunov(a, bbt);
        DMatrixRMaj q = Kernels.solveLyapunov(CommonOps_DDRM.transpose(a, null), ctc);
        return new Gramians(p, q);
    }

    /**
     * Returns a copy of the controllability Gramian.
     *
     * @return {@code P}
     */
    DMatrixRMaj getP() {
        return p.copy();
    }

    /**
     * Returns a copy of the observability Gramian.
     *
     * @return {@code Q}
     */
    DMatrixRMaj getQ() {
        return q.copy();
    }

    /** Package-private access without a copy, for internal consumers that do not modify it. */
    DMatrixRMaj p() {
        return p;
    }

    /** Package-private access without a copy, for internal consumers that do not modify it. */
    DMatrixRMaj q() {
        return q;
    }

    /**
     * Checks that a diagonal realisation is stable.
     *
     * @param d the realisation
     * @throws IllegalArgumentException naming the first eigenvalue with {@code |lambda| >= 1}
     */
    static void requireStable(DiagonalRealization d) {
        for (int k = 0; k < d.getStateSize(); k++) {
            Complex lambda = d.eigenvalue(k);
            double mod = lambda.abs();
            if (!(mod < 1)) {
                throw new IllegalArgumentException(
                        "Eigenvalue "
                                + k
                                + " = "
                                + lambda
                                + " has modulus "
                                + mod
                                + " >= 1: the system is unstable and has no Gramians; the"
                                + " layer's parameters must be stable (|lambda| < 1)");
            }
        }
    }

    /**
     * Writes the real-coordinate Gramian from {@code X X^H / (1 - lambda_k conj lambda_l)} and
     * {@code X X^T / (1 - lambda_k lambda_l)} for {@code X = xr + i xi} (states x k). For the
     * observability side ({@code observability}), the real coordinates carry {@code -Im} so the
     * off-diagonal blocks change sign.
     */
    private static void fillReal(
            double[] lr,
            double[] li,
            DMatrixRMaj xr,
            DMatrixRMaj xi,
            DMatrixRMaj out,
            boolean observability) {
        int n = lr.length;
        GramProducts g = new GramProducts(xr, xi);
        double sign = observability ? -1 : 1;
        double[] m = new double[2];
        for (int k = 0; k < n; k++) {
            for (int l = 0; l < n; l++) {
                g.hermitianQuotient(lr, li, k, l, m);
                double vrr = g.rr.get(k, l);
                double vii = g.ii.get(k, l);
                // X X^T = (rr - ii) + i (ir + ri)
                double hRe = vrr - vii;
                double hIm = g.ir.get(k, l) + g.ir.get(l, k);
                // 1 / (1 - lambda_k lambda_l)
                double dnRe = 1 - (lr[k] * lr[l] - li[k] * li[l]);
                double dnIm = -(lr[k] * li[l] + li[k] * lr[l]);
                double dn = dnRe * dnRe + dnIm * dnIm;
                double nRe = (hRe * dnRe + hIm * dnIm) / dn;
                double nIm = (hIm * dnRe - hRe * dnIm) / dn;
                out.set(2 * k, 2 * l, 0.5 * (nRe + m[0]));
                out.set(2 * k, 2 * l + 1, sign * 0.5 * (nIm - m[1]));
                out.set(2 * k + 1, 2 * l, sign * 0.5 * (nIm + m[1]));
                out.set(2 * k + 1, 2 * l + 1, 0.5 * (m[0] - nRe));
            }
        }
    }

    /**
     * Writes the real embedding of {@code (X X^H) / (1 - lambda_k conj lambda_l)}, or of its
     * conjugate when {@code conjugate} (the reference's observability Gramian).
     */
    private static void fillRealified(
            double[] lr,
            double[] li,
            DMatrixRMaj xr,
            DMatrixRMaj xi,
            DMatrixRMaj out,
            boolean conjugate) {
        int n = lr.length;
        GramProducts g = new GramProducts(xr, xi);
        double[] m = new double[2];
        for (int k = 0; k < n; k++) {
            for (int l = 0; l < n; l++) {
                g.hermitianQuotient(lr, li, k, l, m);
                double mIm = conjugate ? -m[1] : m[1];
                out.set(2 * k, 2 * l, m[0]);
                out.set(2 * k, 2 * l + 1, -mIm);
                out.set(2 * k + 1, 2 * l, mIm);
                out.set(2 * k + 1, 2 * l + 1, m[0]);
            }
        }
    }

    /** The real products {@code xr xr^T}, {@code xi xi^T}, {@code xi xr^T} of {@code X}. */
    private static final class GramProducts {

        final DMatrixRMaj rr;
        final DMatrixRMaj ii;
        final DMatrixRMaj ir;

        GramProducts(DMatrixRMaj xr, DMatrixRMaj xi) {
            rr = CommonOps_DDRM.multTransB(xr, xr, null);
            ii = CommonOps_DDRM.multTransB(xi, xi, null);
            ir = CommonOps_DDRM.multTransB(xi, xr, null);
        }

        /**
         * Writes {@code (X X^H)_kl / (1 - lambda_k conj lambda_l)} into {@code out} as (re, im);
         * {@code X X^H = (rr + ii) + i (ir - ri)}.
         */
        void hermitianQuotient(double[] lr, double[] li, int k, int l, double[] out) {
            double gRe = rr.get(k, l) + ii.get(k, l);
            double gIm = ir.get(k, l) - ir.get(l, k);
            double dmRe = 1 - (lr[k] * lr[l] + li[k] * li[l]);
            double dmIm = -(li[k] * lr[l] - lr[k] * li[l]);
            double dm = dmRe * dmRe + dmIm * dmIm;
            out[0] = (gRe * dmRe + gIm * dmIm) / dm;
            out[1] = (gIm * dmRe - gRe * dmIm) / dm;
        }
    }
}
