package io.github.compressm.control;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.compressm.control.linalg.LyapunovSolverTest;
import io.github.compressm.ssm.Complex;
import io.github.compressm.ssm.DiagonalRealization;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.testng.annotations.Test;

public class GramiansTest {

    @Test
    public void realOneStateSystemHasAnalyticHsv() {
        double lambda = 0.8;
        double b = 0.7;
        double c = -1.3;
        DiagonalRealization d =
                new DiagonalRealization(
                        new double[] {lambda},
                        new double[] {0},
                        new double[][] {{b}},
                        new double[][] {{0}},
                        new double[][] {{c}},
                        new double[][] {{0}});
        double expected = Math.abs(b * c) / (1 - lambda * lambda);
        double[] hsv = new SystemReducer().analyse(d).getHankelSingularValues();
        assertEquals(hsv.length, 2);
        assertEquals(hsv[0], expected, 1e-12 * expected);
        assertEquals(hsv[1], 0, 1e-12 * expected);

        // The same system as a dense real one-state system, through the Lyapunov solver.
        RealSystem dense =
                new RealSystem(
                        new DMatrixRMaj(new double[][] {{lambda}}),
                        new DMatrixRMaj(new double[][] {{b}}),
                        new DMatrixRMaj(new double[][] {{c}}));
        double[] denseHsv = BalancedTruncation.of(dense).getHankelSingularValues();
        assertEquals(denseHsv[0], expected, 1e-12 * expected);
    }

    @Test
    public void complexOneStateReferenceHsvIsAnalytic() {
        // Reference variant, one complex state: sigma = |b| |c| / (1 - |lambda|^2).
        double lr = 0.6;
        double li = 0.5;
        DiagonalRealization d =
                new DiagonalRealization(
                        new double[] {lr},
                        new double[] {li},
                        new double[][] {{0.3}},
                        new double[][] {{-0.4}},
                        new double[][] {{1.2}},
                        new double[][] {{0.5}});
        double expected = 0.5 * 1.3 / (1 - (lr * lr + li * li));
        double[] hsv =
                new SystemReducer(GramianMode.COMPLEX_OUTPUT_REFERENCE)
                        .analyse(d)
                        .getHankelSingularValues();
        assertEquals(hsv.length, 1);
        assertEquals(hsv[0], expected, 1e-12 * expected);
        // The real-output HSVs of the same state differ: Re(.) halves the gain of a pure rotation.
        double[] real = new SystemReducer().analyse(d).getHankelSingularValues();
        assertTrue(Math.abs(real[0] - expected) > 1e-3 * expected);
    }

    @Test
    public void closedFormsSatisfyLyapunovEquations() {
        Random rnd = new Random(1);
        for (int trial = 0; trial < 5; trial++) {
            DiagonalRealization d =
                    Systems.randomLru(
                            rnd, 12, 1 + trial % 3, 1 + (trial + 1) % 4, 0.4, 0.999, 6.28);
            RealSystem sys = RealSystem.fromDiagonal(d);
            Gramians g = Gramians.of(d, GramianMode.REAL_OUTPUT);
            DMatrixRMaj a = sys.getA();
            DMatrixRMaj bbt = CommonOps_DDRM.multTransB(sys.getB(), sys.getB(), null);
            DMatrixRMaj ctc = CommonOps_DDRM.multTransA(sys.getC(), sys.getC(), null);
            assertTrue(LyapunovSolverTest.residual(a, g.getP(), bbt, false) < 1e-10, "P residual");
            assertTrue(LyapunovSolverTest.residual(a, g.getQ(), ctc, true) < 1e-10, "Q residual");

            // Reference Gramians: Gramians of the real embedding with complex inputs/outputs.
            Gramians ref = Gramians.of(d, GramianMode.COMPLEX_OUTPUT_REFERENCE);
            DMatrixRMaj[] bc = complexEmbedding(d);
            DMatrixRMaj bbtRef = CommonOps_DDRM.multTransB(bc[0], bc[0], null);
            DMatrixRMaj ctcRef = CommonOps_DDRM.multTransA(bc[1], bc[1], null);
            assertTrue(
                    LyapunovSolverTest.residual(a, ref.getP(), bbtRef, false) < 1e-10,
                    "reference P residual");
            assertTrue(
                    LyapunovSolverTest.residual(a, ref.getQ(), ctcRef, true) < 1e-10,
                    "reference Q residual");
        }
    }

    @Test
    public void closedFormEqualsDenseLyapunovSolver() {
        Random rnd = new Random(2);
        for (int trial = 0; trial < 4; trial++) {
            DiagonalRealization d = Systems.randomLru(rnd, 16, 3, 2, 0.5, 0.999, 6.28);
            Gramians closed = Gramians.of(d, GramianMode.REAL_OUTPUT);
            Gramians dense = Gramians.of(RealSystem.fromDiagonal(d));
            assertTrue(relDiff(closed.getP(), dense.getP()) < 1e-10, "P");
            assertTrue(relDiff(closed.getQ(), dense.getQ()) < 1e-10, "Q");
        }
    }

    static double relDiff(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj d = a.copy();
        CommonOps_DDRM.subtractEquals(d, b);
        return NormOps_DDRM.normF(d) / NormOps_DDRM.normF(b);
    }

    /** B and C of the real embedding of the complex system with complex inputs and outputs. */
    static DMatrixRMaj[] complexEmbedding(DiagonalRealization d) {
        int n = d.getStateSize();
        int m = d.getInputSize();
        int p = d.getOutputSize();
        DMatrixRMaj b = new DMatrixRMaj(2 * n, 2 * m);
        DMatrixRMaj c = new DMatrixRMaj(2 * p, 2 * n);
        for (int k = 0; k < n; k++) {
            Complex[] row = d.inputRow(k);
            for (int j = 0; j < m; j++) {
                b.set(2 * k, j, row[j].re());
                b.set(2 * k + 1, j, row[j].im());
                b.set(2 * k, m + j, -row[j].im());
                b.set(2 * k + 1, m + j, row[j].re());
            }
            Complex[] column = d.outputColumn(k);
            for (int o = 0; o < p; o++) {
                c.set(o, 2 * k, column[o].re());
                c.set(o, 2 * k + 1, -column[o].im());
                c.set(p + o, 2 * k, column[o].im());
                c.set(p + o, 2 * k + 1, column[o].re());
            }
        }
        return new DMatrixRMaj[] {b, c};
    }
}
