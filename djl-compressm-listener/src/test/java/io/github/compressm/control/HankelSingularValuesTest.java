package io.github.compressm.control;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.compressm.ssm.DiagonalRealization;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.testng.annotations.Test;

public class HankelSingularValuesTest {

    @Test
    public void hsvsAreInvariantUnderSimilarity() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 5; trial++) {
            RealSystem sys = randomDense(rnd, 10, 2, 3, 0.9);
            double[] hsv = BalancedTruncation.of(sys).getHankelSingularValues();
            RealSystem moved = similar(sys, randomWellConditioned(rnd, 10));
            double[] hsv2 = BalancedTruncation.of(moved).getHankelSingularValues();
            for (int i = 0; i < hsv.length; i++) {
                assertEquals(hsv2[i], hsv[i], 1e-9 * hsv[0], "sigma_" + i);
            }
            for (int i = 1; i < hsv.length; i++) {
                assertTrue(hsv[i] <= hsv[i - 1], "descending");
            }
        }
    }

    @Test
    public void closedFormHsvsMatchDenseHsvsOfTransformedSystem() {
        Random rnd = new Random(12);
        DiagonalRealization d = Systems.randomLru(rnd, 6, 2, 2, 0.3, 0.95, 6.28);
        double[] closed = new SystemReducer().analyse(d).getHankelSingularValues();
        RealSystem moved = similar(RealSystem.fromDiagonal(d), randomWellConditioned(rnd, 12));
        double[] dense = BalancedTruncation.of(moved).getHankelSingularValues();
        for (int i = 0; i < closed.length; i++) {
            assertEquals(closed[i], dense[i], 1e-9 * closed[0], "sigma_" + i);
        }
    }

    @Test
    public void balancedRealisationHasEqualDiagonalGramians() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < 4; trial++) {
            DiagonalRealization d = Systems.randomLru(rnd, 5, 2, 2, 0.3, 0.9, 6.28);
            HankelAnalysis analysis = new SystemReducer().analyse(d);
            double[] hsv = analysis.getHankelSingularValues();
            assertEquals(analysis.getNumericalOrder(), 10, "full numerical order expected");
            RealSystem balanced = analysis.getBalancing().getBalancedSystem();
            Gramians g = Gramians.of(balanced);
            DMatrixRMaj p = g.getP();
            DMatrixRMaj q = g.getQ();
            for (int i = 0; i < 10; i++) {
                for (int j = 0; j < 10; j++) {
                    double expected = i == j ? hsv[i] : 0;
                    assertEquals(p.get(i, j), expected, 1e-9 * hsv[0], "P " + i + "," + j);
                    assertEquals(q.get(i, j), expected, 1e-9 * hsv[0], "Q " + i + "," + j);
                }
            }
        }
    }

    /** A random dense system with A scaled to the given spectral radius bound (via a norm). */
    static RealSystem randomDense(Random rnd, int n, int m, int p, double radius) {
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        for (int i = 0; i < a.getNumElements(); i++) {
            a.data[i] = rnd.nextGaussian();
        }
        double norm = org.ejml.dense.row.NormOps_DDRM.normP2(a);
        CommonOps_DDRM.scale(radius / norm, a);
        DMatrixRMaj b = new DMatrixRMaj(n, m);
        DMatrixRMaj c = new DMatrixRMaj(p, n);
        for (int i = 0; i < b.getNumElements(); i++) {
            b.data[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < c.getNumElements(); i++) {
            c.data[i] = rnd.nextGaussian();
        }
        return new RealSystem(a, b, c);
    }

    static DMatrixRMaj randomWellConditioned(Random rnd, int n) {
        DMatrixRMaj t = CommonOps_DDRM.identity(n);
        for (int i = 0; i < t.getNumElements(); i++) {
            t.data[i] += 0.3 * rnd.nextGaussian() / Math.sqrt(n);
        }
        return t;
    }

    static RealSystem similar(RealSystem sys, DMatrixRMaj t) {
        DMatrixRMaj tinv = new DMatrixRMaj(t.numRows, t.numCols);
        assertTrue(CommonOps_DDRM.invert(t, tinv));
        DMatrixRMaj a = CommonOps_DDRM.mult(tinv, CommonOps_DDRM.mult(sys.getA(), t, null), null);
        DMatrixRMaj b = CommonOps_DDRM.mult(tinv, sys.getB(), null);
        DMatrixRMaj c = CommonOps_DDRM.mult(sys.getC(), t, null);
        return new RealSystem(a, b, c);
    }
}
