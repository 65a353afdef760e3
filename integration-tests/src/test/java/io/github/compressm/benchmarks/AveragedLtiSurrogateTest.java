package io.github.compressm.benchmarks;

import org.testng.Assert;
import org.testng.annotations.Test;

/** The averaged surrogate's Gramians on tiny cases, against the formula and the series. */
public class AveragedLtiSurrogateTest {

    @Test
    public void gramiansAreTheMomentsOverOneMinusTheMeanDecaySquared() {
        AveragedLtiSurrogate surrogate = new AveragedLtiSurrogate(2, 2, false);
        // Two steps, N = 2, H = 2, added in two calls; unweighted, the scan inputs do not count.
        surrogate.add(
                new double[] {1, 2},
                new double[] {0.5, -1},
                new double[] {Math.log(0.5), 0},
                new double[] {3, -7});
        surrogate.add(
                new double[] {3, -1},
                new double[] {2, 0},
                new double[] {Math.log(0.7), Math.log(0.2)},
                new double[] {0.1, 5});
        double[] decays = surrogate.meanDecays();
        Assert.assertEquals(decays[0], 0.6, 1e-12);
        Assert.assertEquals(decays[1], 0.6, 1e-12);
        double factor = 2 / (1 - 0.36);
        // E[B B^T] = ([1 2; 2 4] + [9 -3; -3 1]) / 2, E[C C^T] = ([0.25 -0.5; -0.5 1] + [4 0; 0 0])
        // / 2.
        double[][] p = {{5 * factor, -0.5 * factor}, {-0.5 * factor, 2.5 * factor}};
        double[][] q = {{2.125 * factor, -0.25 * factor}, {-0.25 * factor, 0.5 * factor}};
        assertMatrix(surrogate.controllability(), p);
        assertMatrix(surrogate.observability(), q);
    }

    @Test
    public void inputWeightedStepsCountByTheirScanInputEnergyPerHead() {
        AveragedLtiSurrogate surrogate = new AveragedLtiSurrogate(1, 2, true);
        // N = 1, H = 2, P = 2: energies (2, 4) at the first step, (1, 2) at the second.
        surrogate.add(
                new double[] {1, 2},
                new double[] {1, 1},
                new double[] {Math.log(0.5), Math.log(0.3), Math.log(0.7), Math.log(0.5)},
                new double[] {1, 1, 2, 0, 0, 1, 1, 1});
        double p = (2 * 1 + 1 * 4) / 2.0 / (1 - 0.36) + (4 * 1 + 2 * 4) / 2.0 / (1 - 0.16);
        double q = 1 / (1 - 0.36) + 1 / (1 - 0.16);
        assertMatrix(surrogate.controllability(), new double[][] {{p}});
        assertMatrix(surrogate.observability(), new double[][] {{q}});
    }

    @Test
    public void oneHeadWithAFixedMapIsTheSumOfTheDecayedImpulses() {
        double a = 0.8;
        double[] b = {0.3, -1.2, 2};
        AveragedLtiSurrogate surrogate = new AveragedLtiSurrogate(3, 1, false);
        surrogate.add(b, b, new double[] {Math.log(a)}, new double[] {1});
        double[][] series = new double[3][3];
        for (int k = 0; k < 400; k++) {
            double weight = Math.pow(a, 2 * k);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    series[i][j] += weight * b[i] * b[j];
                }
            }
        }
        assertMatrix(surrogate.controllability(), series);
        // A rank-one Gramian pair has a single non-zero Hankel singular value.
        double[] hsv = surrogate.balancing().getHankelSingularValues();
        Assert.assertTrue(hsv[0] > 0);
        for (int i = 1; i < hsv.length; i++) {
            Assert.assertEquals(hsv[i], 0, 1e-9 * hsv[0], "HSV " + i);
        }
    }

    @Test
    public void aDecayOfOneHasNoFiniteGramians() {
        AveragedLtiSurrogate surrogate = new AveragedLtiSurrogate(1, 1, false);
        surrogate.add(new double[] {1}, new double[] {1}, new double[] {0}, new double[] {1});
        IllegalStateException e =
                Assert.expectThrows(IllegalStateException.class, surrogate::controllability);
        Assert.assertTrue(e.getMessage().contains("not below 1"), e.getMessage());
    }

    @Test
    public void mismatchedRowsAreRefused() {
        AveragedLtiSurrogate surrogate = new AveragedLtiSurrogate(2, 1, false);
        IllegalArgumentException e =
                Assert.expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                surrogate.add(
                                        new double[] {1, 2},
                                        new double[] {1},
                                        new double[1],
                                        new double[1]));
        Assert.assertTrue(e.getMessage().contains("same steps"), e.getMessage());
        Assert.assertThrows(IllegalStateException.class, surrogate::meanDecays);
    }

    private static void assertMatrix(double[][] actual, double[][] expected) {
        Assert.assertEquals(actual.length, expected.length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                Assert.assertEquals(
                        actual[i][j],
                        expected[i][j],
                        1e-9 * (1 + Math.abs(expected[i][j])),
                        "(" + i + ", " + j + ")");
            }
        }
    }
}
