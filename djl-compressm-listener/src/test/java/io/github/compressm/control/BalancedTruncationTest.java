package io.github.compressm.control;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.github.compressm.ssm.DiagonalRealization;
import java.util.Random;
import org.testng.annotations.Test;

public class BalancedTruncationTest {

    private static final int POINTS = 512;

    @Test
    public void errorBoundHoldsForManyRandomSystemsAndOrders() {
        Random rnd = new Random(21);
        SystemReducer reducer = new SystemReducer();
        int checks = 0;
        for (int trial = 0; trial < 12; trial++) {
            int n = new int[] {4, 8, 16, 24, 32, 48}[trial % 6];
            int m = 1 + rnd.nextInt(4);
            int p = 1 + rnd.nextInt(4);
            double rmin = trial % 2 == 0 ? 0.5 : 0.9;
            DiagonalRealization d = Systems.randomLru(rnd, n, m, p, rmin, 0.999, 2 * Math.PI);
            HankelAnalysis analysis = reducer.analyse(d);
            double[] hsv = analysis.getHankelSingularValues();
            int k = analysis.getNumericalOrder();
            double[] angles = Systems.eigenAngles(d);
            for (int order : new int[] {1, 2, k / 4, k / 2, (3 * k) / 4, k - 1}) {
                if (order < 1 || order >= k) {
                    continue;
                }
                Reduction r = reducer.reduce(analysis, order, SelectionMode.LARGEST, null);
                double bound = 2 * Systems.sum(hsv, order, hsv.length);
                assertEquals(r.getDiscardedSum(), bound / 2, 1e-12 * hsv[0]);
                double errReal =
                        Systems.hinfDistance(
                                Systems.of(d), Systems.of(r.getReducedSystem()), POINTS, angles);
                double errDiag = Systems.hinfDistance(d, r.getRealization(), POINTS, angles);
                String where = "n=" + n + " m=" + m + " p=" + p + " order=" + order;
                assertTrue(errReal <= bound * (1 + 1e-9), where + ": " + errReal + " > " + bound);
                assertTrue(errDiag <= bound * (1 + 1e-6), where + ": " + errDiag + " > " + bound);
                assertTrue(r.getStateCount() <= order, where);
                checks++;
            }
        }
        assertTrue(checks > 40, "checked " + checks);
    }

    @Test
    public void diagonalFormReproducesReducedImpulseResponse() {
        Random rnd = new Random(22);
        SystemReducer reducer = new SystemReducer();
        for (int trial = 0; trial < 8; trial++) {
            DiagonalRealization d =
                    Systems.randomLru(rnd, 32, 1 + trial % 4, 1 + trial % 3, 0.5, 0.999, 6.28);
            HankelAnalysis analysis = reducer.analyse(d);
            for (int order : new int[] {3, 8, 17, analysis.getNumericalOrder() / 2}) {
                Reduction r = reducer.reduce(analysis, order, SelectionMode.LARGEST, null);
                double err =
                        Systems.relativeDifference(
                                Systems.impulse(r.getReducedSystem(), 64),
                                Systems.impulse(r.getRealization(), 64));
                assertTrue(err < 1e-8, "order " + order + ": " + err);
                assertTrue(Systems.allFinite(r.getRealization()));
                assertTrue(r.getRealization().spectralRadius() < 1);
            }
        }
    }

    @Test
    public void fullOrderRoundTripReproducesTheLayer() {
        Random rnd = new Random(23);
        SystemReducer reducer = new SystemReducer();
        for (int trial = 0; trial < 5; trial++) {
            DiagonalRealization d = Systems.randomLru(rnd, 4, 2, 2, 0.3, 0.8, 6.28);
            HankelAnalysis analysis = reducer.analyse(d);
            assertEquals(analysis.getNumericalOrder(), 8);
            assertEquals(analysis.statesForOrder(8), 4);
            Reduction r = reducer.reduce(d, 8, SelectionMode.LARGEST, null);
            assertEquals(r.getStateCount(), 4);
            assertEquals(r.getEnergyKept(), 1.0, 1e-15);
            double err =
                    Systems.relativeDifference(
                            Systems.impulse(d, 80), Systems.impulse(r.getRealization(), 80));
            assertTrue(err < 1e-8, "round trip error " + err);
        }
    }

    @Test
    public void uncontrollableAndUnobservableStatesAreDroppedCleanly() {
        Random rnd = new Random(24);
        DiagonalRealization base = Systems.randomLru(rnd, 6, 2, 2, 0.3, 0.9, 6.28);
        double[][] br = base.getBRe();
        double[][] bi = base.getBIm();
        double[][] cr = base.getCRe();
        double[][] ci = base.getCIm();
        br[1] = new double[2];
        bi[1] = new double[2]; // state 1 uncontrollable
        for (int o = 0; o < 2; o++) {
            cr[o][4] = 0;
            ci[o][4] = 0; // state 4 unobservable
        }
        DiagonalRealization d =
                new DiagonalRealization(base.getLambdaRe(), base.getLambdaIm(), br, bi, cr, ci);
        SystemReducer reducer = new SystemReducer();
        HankelAnalysis analysis = reducer.analyse(d);
        for (double s : analysis.getHankelSingularValues()) {
            assertTrue(Double.isFinite(s));
        }
        assertEquals(analysis.getNumericalOrder(), 8);
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> reducer.reduce(analysis, 12, SelectionMode.LARGEST, null));
        assertTrue(e.getMessage().contains("numerical minimal order 8"), e.getMessage());
        assertTrue(e.getMessage().contains("[1, 8]"), e.getMessage());
        Reduction r = reducer.reduce(analysis, 8, SelectionMode.LARGEST, null);
        assertEquals(r.getStateCount(), 4);
        double err =
                Systems.relativeDifference(
                        Systems.impulse(d, 80), Systems.impulse(r.getRealization(), 80));
        assertTrue(err < 1e-8, "minimal realisation error " + err);
    }

    @Test
    public void tinyHankelSingularValuesNeverGiveNaN() {
        Random rnd = new Random(25);
        DiagonalRealization base = Systems.randomLru(rnd, 6, 2, 2, 0.3, 0.9, 6.28);
        double[][] br = base.getBRe();
        double[][] bi = base.getBIm();
        double[][] cr = base.getCRe();
        double[][] ci = base.getCIm();
        for (int j = 0; j < 2; j++) {
            br[2][j] *= 1e-7;
            bi[2][j] *= 1e-7;
        }
        for (int o = 0; o < 2; o++) {
            cr[o][2] *= 1e-7;
            ci[o][2] *= 1e-7;
        }
        DiagonalRealization d =
                new DiagonalRealization(base.getLambdaRe(), base.getLambdaIm(), br, bi, cr, ci);
        SystemReducer reducer = new SystemReducer();
        HankelAnalysis analysis = reducer.analyse(d);
        double[] hsv = analysis.getHankelSingularValues();
        assertTrue(
                hsv[hsv.length - 1] < 1e-12 * hsv[0], "a tiny HSV exists: " + hsv[hsv.length - 1]);
        for (int order = 1; order <= analysis.getNumericalOrder(); order++) {
            Reduction r = reducer.reduce(analysis, order, SelectionMode.LARGEST, null);
            assertTrue(Systems.allFinite(r.getRealization()), "order " + order);
            double bound = 2 * r.getDiscardedSum();
            double err = Systems.hinfDistance(d, r.getRealization(), 256, Systems.eigenAngles(d));
            assertTrue(
                    err <= bound * (1 + 1e-6) + 1e-12 * hsv[0],
                    "order " + order + ": " + err + " > " + bound);
        }
    }

    @Test
    public void zeroLayerReducesToOneSilentState() {
        DiagonalRealization d =
                new DiagonalRealization(
                        new double[] {0.5, 0.1},
                        new double[] {0.2, -0.3},
                        new double[][] {{1, 2}, {3, 4}},
                        new double[][] {{0, 1}, {1, 0}},
                        new double[2][2],
                        new double[2][2]);
        SystemReducer reducer = new SystemReducer();
        HankelAnalysis analysis = reducer.analyse(d);
        assertEquals(analysis.getNumericalOrder(), 0);
        Reduction r = reducer.reduce(analysis, 1, SelectionMode.LARGEST, null);
        assertEquals(r.getStateCount(), 1);
        double err = Systems.hinfDistance(d, r.getRealization(), 64);
        assertEquals(err, 0.0);
    }
}
