package io.github.compressm.listener;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Adam's bias correction on parameters created mid-training, measured: DJL corrects with the global
 * step count, so fresh parameters get oversized updates; {@link FreshParameterTracker} restores the
 * per-parameter correction.
 */
public class FreshParameterTrackerTest {

    private static final int AFTER = 100;

    @Test
    public void factorIsExactlyTheRatioOfBiasCorrections() {
        FreshParameterTracker tracker = FreshParameterTracker.wrap(Tracker.fixed(0.01f));
        // An original parameter, updated at every step: factor 1.
        for (int t = 1; t <= 500; t++) {
            Assert.assertEquals(tracker.getNewValue("old", t), 0.01f);
        }
        // A parameter first seen at global step 501: corrected for its own age.
        for (int k = 1; k <= 50; k++) {
            int t = 500 + k;
            double expected = 0.01 * tracker.biasCorrection(k) / tracker.biasCorrection(t);
            Assert.assertEquals(tracker.getNewValue("fresh", t), (float) expected, 1e-9);
            Assert.assertEquals(tracker.getUpdateCount("fresh"), k);
        }
        // sqrt(1 - 0.999) / (1 - 0.9) at k = 1.
        Assert.assertEquals(tracker.biasCorrection(1), Math.sqrt(1 - 0.999f) / (1 - 0.9f), 1e-12);
        Assert.expectThrows(
                IllegalArgumentException.class,
                () -> FreshParameterTracker.wrap(Tracker.fixed(1f), 1f, 0.999f));
    }

    @DataProvider
    public Object[][] ages() {
        return new Object[][] {{1000}, {5000}};
    }

    /**
     * Drives DJL's Adam directly with noisy gradients (mean 0.1, unit noise): one parameter id from
     * the start, a second one appearing at global step {@code t}; compares the sizes of the fresh
     * id's updates with the steady-state updates of the old id.
     */
    @Test(dataProvider = "ages")
    public void measuresAndFixesOversizedUpdatesOfFreshParameters(int t) {
        double[] plain = freshToSteadyRatios(t, false);
        double[] fixed = freshToSteadyRatios(t, true);
        FreshParameterTracker probe = FreshParameterTracker.wrap(Tracker.fixed(1f));
        double expectedFirst = probe.biasCorrection(t + 1) / probe.biasCorrection(1);
        System.out.printf(
                "Adam, fresh parameter id at step %d, update size / steady-state update size:%n"
                        + "  DJL default:           first %.2f, max %.2f, mean of first %d %.2f%n"
                        + "  FreshParameterTracker: first %.2f, max %.2f, mean of first %d %.2f%n",
                t,
                plain[0],
                max(plain),
                AFTER,
                mean(plain),
                fixed[0],
                max(fixed),
                AFTER,
                mean(fixed));
        // Same gradients in both runs: the first fresh updates differ by exactly bc(t+1) / bc(1).
        Assert.assertEquals(plain[0] / fixed[0], expectedFirst, 1e-3 * expectedFirst);
        Assert.assertTrue(expectedFirst > 2.5, "bias-correction ratio " + expectedFirst);
        // With the fix a fresh parameter's k-th update is what a parameter of age k gets at the
        // start of training: its average over the first updates matches the old id's own first
        // updates; without it the fresh updates are inflated by (1 - b1^k) / sqrt(1 - b2^k).
        double[] startOfTraining = freshToSteadyRatios(0, false);
        Assert.assertEquals(mean(fixed), mean(startOfTraining), 0.05 * mean(startOfTraining));
        Assert.assertTrue(mean(plain) > 2.5 * mean(fixed), mean(plain) + " vs " + mean(fixed));
    }

    /**
     * Returns, for the {@link #AFTER} updates of a parameter id that appears after {@code t}
     * updates of another, the mean absolute update divided by the old id's mean absolute update
     * over the 20 steps before (for {@code t = 0}: by the steady state at step 1000).
     */
    private static double[] freshToSteadyRatios(int t, boolean fix) {
        int size = 2000;
        float lr = 1e-3f;
        Tracker tracker = Tracker.fixed(lr);
        if (fix) {
            tracker = FreshParameterTracker.wrap(tracker);
        }
        Adam adam = Optimizer.adam().optLearningRateTracker(tracker).build();
        Random random = new Random(17);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray old = manager.zeros(new Shape(size));
            NDArray fresh = manager.zeros(new Shape(size));
            double steady = 0;
            int warm = Math.max(t, 1000);
            for (int step = 1; step <= warm; step++) {
                float[] before = old.toFloatArray();
                adam.update("old", old, gradient(manager, random, size));
                if (step > warm - 20) {
                    steady += meanAbsDiff(old.toFloatArray(), before) / 20;
                }
            }
            if (t == 0) {
                fresh = manager.zeros(new Shape(size));
                adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build();
            }
            double[] ratios = new double[AFTER];
            for (int k = 0; k < AFTER; k++) {
                if (t > 0) {
                    adam.update("old", old, gradient(manager, random, size));
                }
                float[] before = fresh.toFloatArray();
                adam.update("fresh", fresh, gradient(manager, random, size));
                ratios[k] = meanAbsDiff(fresh.toFloatArray(), before) / steady;
            }
            return ratios;
        }
    }

    private static NDArray gradient(NDManager manager, Random random, int size) {
        float[] g = new float[size];
        for (int i = 0; i < size; i++) {
            g[i] = (float) (0.1 + random.nextGaussian());
        }
        return manager.create(g);
    }

    private static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
