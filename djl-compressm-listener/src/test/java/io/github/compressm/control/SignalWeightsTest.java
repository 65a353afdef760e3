package io.github.compressm.control;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.github.compressm.ssm.DiagonalRealization;
import java.util.Random;
import org.testng.annotations.Test;

public class SignalWeightsTest {

    private static final int POINTS = 512;

    @Test
    public void weightedErrorBoundHoldsAndReducedLayersStayStable() {
        Random rnd = new Random(41);
        SystemReducer reducer = new SystemReducer();
        int checks = 0;
        for (int trial = 0; trial < 8; trial++) {
            int n = new int[] {8, 16, 24, 32}[trial % 4];
            int features = 2 + rnd.nextInt(3);
            DiagonalRealization d =
                    Systems.randomLru(rnd, n, features, features, 0.5, 0.999, 2 * Math.PI);
            // Odd trials: rank-one moments, the regularised case; one of them with an input floor.
            int rank = trial % 2 == 0 ? features : 1;
            SignalWeights weights =
                    SignalWeights.of(
                            randomMoment(rnd, features, rank),
                            randomMoment(rnd, features, rank),
                            trial % 4 == 3 ? 0.1 : 0);
            HankelAnalysis analysis = reducer.analyse(d, weights);
            double[] hsv = analysis.getHankelSingularValues();
            int k = analysis.getNumericalOrder();
            DiagonalRealization weighted = weights.weigh(d);
            double[] angles = Systems.eigenAngles(d);
            for (int order : new int[] {1, 2, k / 4, k / 2, (3 * k) / 4}) {
                if (order < 1 || order >= k) {
                    continue;
                }
                Reduction r = reducer.reduce(analysis, order, SelectionMode.LARGEST, null);
                double bound = 2 * Systems.sum(hsv, order, hsv.length);
                double error =
                        Systems.hinfDistance(
                                weighted, weights.weigh(r.getRealization()), POINTS, angles);
                String where = "n=" + n + " features=" + features + " order=" + order;
                assertTrue(error <= bound * (1 + 1e-6), where + ": " + error + " > " + bound);
                assertTrue(r.getRealization().spectralRadius() < 1, where);
                assertTrue(Systems.allFinite(r.getRealization()), where);
                checks++;
            }
        }
        assertTrue(checks > 15, "checked " + checks);
    }

    @Test
    public void valuesOnlyAgreeWithTheFullAnalysisInBothModes() {
        Random rnd = new Random(43);
        DiagonalRealization d = Systems.randomLru(rnd, 24, 4, 3, 0.5, 0.99, 6.28);
        SignalWeights weights = SignalWeights.of(randomMoment(rnd, 4, 2), randomMoment(rnd, 3, 3));
        for (GramianMode mode : GramianMode.values()) {
            SystemReducer reducer = new SystemReducer(mode);
            for (SignalWeights w : new SignalWeights[] {null, weights}) {
                double[] full = reducer.analyse(d, w).getHankelSingularValues();
                double[] values = reducer.hankelSingularValues(d, w);
                String where = mode + (w == null ? ", layer-local" : ", weighted");
                assertEquals(values.length, full.length, where);
                for (int i = 0; i < full.length; i++) {
                    assertEquals(values[i], full[i], 1e-10 * full[0], where + ", sigma " + i);
                }
            }
        }
    }

    @Test
    public void identityWeightsGiveTheLayerLocalValues() {
        DiagonalRealization d = Systems.randomLru(new Random(42), 16, 3, 3, 0.8, 0.99, 6.28);
        SystemReducer reducer = new SystemReducer();
        double[] local = reducer.analyse(d).getHankelSingularValues();
        double[][] identity = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double[] weighted =
                reducer.analyse(d, SignalWeights.of(identity, identity)).getHankelSingularValues();
        for (int i = 0; i < local.length; i++) {
            assertEquals(weighted[i], local[i], 1e-5 * local[0], "sigma " + i);
        }
    }

    @Test
    public void unusedInputsAndOutputsStopCounting() {
        // Only input 0 is excited and only output 1 is read: the weighted values are those of the
        // single-input, single-output system (B column 0, C row 1), up to the tiny ridge.
        DiagonalRealization d = Systems.randomLru(new Random(43), 12, 3, 3, 0.8, 0.99, 6.28);
        double[][] input = new double[3][3];
        input[0][0] = 4;
        double[][] output = new double[3][3];
        output[1][1] = 9;
        SystemReducer reducer = new SystemReducer();
        double[] weighted =
                reducer.analyse(d, SignalWeights.of(input, output)).getHankelSingularValues();
        DiagonalRealization siso =
                new DiagonalRealization(
                        d.getLambdaRe(),
                        d.getLambdaIm(),
                        column(d.getBRe(), 0, 2),
                        column(d.getBIm(), 0, 2),
                        new double[][] {scaled(d.getCRe()[1], 3)},
                        new double[][] {scaled(d.getCIm()[1], 3)});
        double[] reference = reducer.analyse(siso).getHankelSingularValues();
        for (int i = 0; i < reference.length; i++) {
            assertEquals(weighted[i], reference[i], 1e-2 * reference[0], "sigma " + i);
        }
        double[] local = reducer.analyse(d).getHankelSingularValues();
        assertTrue(
                Systems.sum(weighted, 6, weighted.length) / Systems.sum(weighted, 0, 24)
                        < Systems.sum(local, 6, local.length) / Systems.sum(local, 0, 24),
                "the weighted spectrum decays faster than the layer-local one");
    }

    @Test
    public void anInputFloorKeepsStatesOfUnusedInputDirections() {
        // State 0 hears input 0 only, state 1 input 1 only; the inputs use direction 0 alone.
        DiagonalRealization d =
                new DiagonalRealization(
                        new double[] {0.9, 0.8},
                        new double[] {0.1, -0.2},
                        new double[][] {{1, 0}, {0, 1}},
                        new double[][] {{0, 0}, {0, 0}},
                        new double[][] {{1, 1}},
                        new double[][] {{0, 0}});
        double[][] firstOnly = {{2, 0}, {0, 0}};
        double[][] output = {{1}};
        SystemReducer reducer = new SystemReducer();
        double[] none = reducer.hankelSingularValues(d, SignalWeights.of(firstOnly, output));
        double[] floored =
                reducer.hankelSingularValues(d, SignalWeights.of(firstOnly, output, 0.5));
        // The second state's weighted Hankel singular values (two per complex state).
        assertTrue(none[2] < 1e-2 * none[0], "no floor: " + java.util.Arrays.toString(none));
        assertTrue(floored[2] > 0.1 * floored[0], "floor: " + java.util.Arrays.toString(floored));
        assertEquals(SignalWeights.of(firstOnly, output, 0.5).getInputRidge(), 0.5, 1e-15);
        assertEquals(
                SignalWeights.of(firstOnly, output).getInputRidge(),
                SignalWeights.RELATIVE_RIDGE,
                1e-20);
    }

    @Test
    public void badMomentsAreRejectedWithMessages() {
        double[][] ok = {{1, 0}, {0, 1}};
        assertRejected(() -> SignalWeights.of(new double[2][2], ok), "input moment is zero");
        assertRejected(() -> SignalWeights.of(ok, new double[][] {{1, 0}}), "must be square");
        assertRejected(
                () -> SignalWeights.of(new double[][] {{1, Double.NaN}, {0, 1}}, ok),
                "non-finite entry at (0, 1)");
        assertRejected(
                () -> SignalWeights.of(new double[][] {{5, 0}, {0, -1}}, ok),
                "not positive semi-definite");
        DiagonalRealization three = Systems.randomLru(new Random(44), 4, 3, 3, 0.5, 0.9, 6.28);
        assertRejected(
                () -> SignalWeights.of(ok, ok).weigh(three),
                "The layer has 3 inputs but the weights were measured for 2");
        for (double floor : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertRejected(() -> SignalWeights.of(ok, ok, floor), "input weight floor");
        }
    }

    private static double[][] randomMoment(Random rnd, int size, int rank) {
        double[][] m = new double[size][size];
        for (int r = 0; r < rank; r++) {
            double[] v = new double[size];
            for (int i = 0; i < size; i++) {
                v[i] = rnd.nextGaussian();
            }
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    m[i][j] += v[i] * v[j];
                }
            }
        }
        return m;
    }

    private static double[][] column(double[][] m, int col, double scale) {
        double[][] out = new double[m.length][1];
        for (int i = 0; i < m.length; i++) {
            out[i][0] = scale * m[i][col];
        }
        return out;
    }

    private static double[] scaled(double[] v, double scale) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = scale * v[i];
        }
        return out;
    }

    private static void assertRejected(Runnable call, String fragment) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
