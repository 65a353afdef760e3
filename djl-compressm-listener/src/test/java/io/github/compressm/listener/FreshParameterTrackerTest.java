package io.github.compressm.listener;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Adam's bias correction on parameters created mid-training, measured: DJL corrects with the global
 * step count, so fresh parameters get oversized updates; {@link FreshParameterTracker} restores the
 * per-parameter correction.
 */
public class FreshParameterTrackerTest {

    private static final Logger LOGGER = LoggerFactory.getLogger(FreshParameterTrackerTest.class);

    private static final int AFTER = 100;

    /** DJL's Adam defaults, which {@link FreshParameterTracker#wrap(Tracker)} assumes (floats). */
    private static final double BETA1 = 0.9f;

    private static final double BETA2 = 0.999f;
    private static final double EPSILON = 1e-8f;

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
            double expected = 0.01 * biasCorrection(k) / biasCorrection(t);
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
        double expectedFirst = biasCorrection(t + 1) / biasCorrection(1);
        String sizes =
                String.format(
                        "Adam, fresh parameter id at step %d, update size / steady-state update"
                                + " size: DJL default: first %.2f, max %.2f, mean of first %d"
                                + " %.2f; FreshParameterTracker: first %.2f, max %.2f, mean of"
                                + " first %d %.2f",
                        t,
                        plain[0],
                        max(plain),
                        AFTER,
                        mean(plain),
                        fixed[0],
                        max(fixed),
                        AFTER,
                        mean(fixed));
        LOGGER.info(sizes);
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
     * Drives DJL's Adam, with the tracker, on a parameter id updated from the start and on one that
     * appears after 300 updates, and compares every update with textbook Adam computed here in
     * double precision from each parameter's own age {@code k}: {@code m = b1 m + (1 - b1) g},
     * {@code v = b2 v + (1 - b2) g^2}, update {@code lr (m / (1 - b1^k)) / (sqrt(v / (1 - b2^k)) +
     * eps)}.
     */
    @Test
    public void freshAndOldParametersGetTheTextbookAdamUpdateOfTheirOwnAge() {
        int size = 64;
        int warm = 300;
        int freshUpdates = 30;
        float lr = 1e-3f;
        Adam adam =
                Optimizer.adam()
                        .optLearningRateTracker(FreshParameterTracker.wrap(Tracker.fixed(lr)))
                        .build();
        Random random = new Random(23);
        TextbookAdam oldReference = new TextbookAdam(size, lr);
        TextbookAdam freshReference = new TextbookAdam(size, lr);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray old = manager.zeros(new Shape(size));
            NDArray fresh = manager.zeros(new Shape(size));
            for (int step = 1; step <= warm + freshUpdates; step++) {
                assertTextbookUpdate(adam, "old", old, oldReference, random);
                if (step > warm) {
                    assertTextbookUpdate(adam, "fresh", fresh, freshReference, random);
                }
            }
            Assert.assertEquals(oldReference.age, warm + freshUpdates);
            Assert.assertEquals(freshReference.age, freshUpdates);
        }
    }

    /** Applies one update through DJL's Adam and compares it with the textbook update. */
    private static void assertTextbookUpdate(
            Adam adam, String id, NDArray weight, TextbookAdam reference, Random random) {
        float[] g = new float[reference.m.length];
        for (int i = 0; i < g.length; i++) {
            // Mean 0.1, unit noise, kept at least 0.05 away from zero: at a parameter's first
            // update sqrt(v) is |g|, and DJL adds epsilon to sqrt(v) rather than to the
            // bias-corrected sqrt(v / (1 - b2^k)); with |g| >= 0.05 that difference is below 1e-5.
            double x = 0.1 + random.nextGaussian();
            g[i] = (float) (Math.abs(x) < 0.05 ? Math.copySign(0.05, x) : x);
        }
        float[] before = weight.toFloatArray();
        try (NDArray gradient = weight.getManager().create(g)) {
            adam.update(id, weight, gradient);
        }
        float[] after = weight.toFloatArray();
        double[] expected = reference.update(g);
        for (int i = 0; i < g.length; i++) {
            Assert.assertEquals(
                    (double) before[i] - after[i],
                    expected[i],
                    1e-3 * reference.lr,
                    id + ", update " + reference.age + ", element " + i);
        }
    }

    /** Textbook Adam with bias correction for the parameter's own age, in double precision. */
    private static final class TextbookAdam {

        final double lr;
        final double[] m;
        final double[] v;
        int age;

        TextbookAdam(int size, double lr) {
            this.lr = lr;
            m = new double[size];
            v = new double[size];
        }

        /** Returns the step {@code w_{k-1} - w_k} for gradient {@code g}. */
        double[] update(float[] g) {
            age++;
            double[] step = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
                v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * (double) g[i];
                double mHat = m[i] / (1 - Math.pow(BETA1, age));
                double vHat = v[i] / (1 - Math.pow(BETA2, age));
                step[i] = lr * mHat / (Math.sqrt(vHat) + EPSILON);
            }
            return step;
        }
    }

    /**
     * Adam's step-size bias correction after {@code t} updates: {@code sqrt(1 - b2^t) / (1 -
     * b1^t)}.
     */
    private static double biasCorrection(int t) {
        return Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
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
