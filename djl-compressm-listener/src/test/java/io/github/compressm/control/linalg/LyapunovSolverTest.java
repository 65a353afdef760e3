package io.github.compressm.control.linalg;

import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.testng.annotations.Test;

/** The squared Smith iteration solves the Stein equation and rejects unstable matrices. */
public class LyapunovSolverTest {

    @Test
    public void lyapunovSolverHandlesNonNormalAndRejectsUnstable() {
        Random rnd = new Random(3);
        int n = 9;
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            a.set(i, i, 0.95 * Math.cos(i));
            for (int j = i + 1; j < n; j++) {
                a.set(i, j, rnd.nextGaussian()); // strongly non-normal, spectral radius 0.95
            }
        }
        DMatrixRMaj w = new DMatrixRMaj(n, n);
        DMatrixRMaj f = new DMatrixRMaj(n, 2);
        for (int i = 0; i < f.getNumElements(); i++) {
            f.data[i] = rnd.nextGaussian();
        }
        CommonOps_DDRM.multTransB(f, f, w);
        DMatrixRMaj x = LyapunovSolver.solve(a, w);
        assertTrue(residual(a, x, w, false) < 1e-10);

        DMatrixRMaj unstable = CommonOps_DDRM.identity(3);
        CommonOps_DDRM.scale(1.01, unstable);
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> LyapunovSolver.solve(unstable, CommonOps_DDRM.identity(3)));
        assertTrue(e.getMessage().contains("not stable"), e.getMessage());
    }

    /**
     * Returns the relative residual of a discrete Lyapunov equation, {@code ||X - A X A^T - W|| /
     * ||X||} (or with {@code A^T X A} when transposed); shared with the Gramian tests.
     */
    public static double residual(DMatrixRMaj a, DMatrixRMaj x, DMatrixRMaj w, boolean transposed) {
        DMatrixRMaj t = new DMatrixRMaj(a.numRows, a.numRows);
        DMatrixRMaj axa = new DMatrixRMaj(a.numRows, a.numRows);
        if (transposed) {
            CommonOps_DDRM.multTransA(a, x, t);
            CommonOps_DDRM.mult(t, a, axa);
        } else {
            CommonOps_DDRM.mult(a, x, t);
            CommonOps_DDRM.multTransB(t, a, axa);
        }
        DMatrixRMaj r = x.copy();
        CommonOps_DDRM.subtractEquals(r, axa);
        CommonOps_DDRM.subtractEquals(r, w);
        return NormOps_DDRM.normF(r) / NormOps_DDRM.normF(x);
    }
}
