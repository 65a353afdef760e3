package io.github.compressm.ssm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

public class SignalMomentRecorderTest {

    private static final int BATCH = 3;
    private static final int LENGTH = 17;
    private static final int FEATURES = 4;

    @Test
    public void recordsInputAndLossGradientMomentsOfTrainingPasses() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(5).build();
            double[][][] u = LruTest.randomInput(new Random(4), BATCH, LENGTH, FEATURES);
            NDArray input = LruTest.toArray(manager, u, DataType.FLOAT32);
            lru.initialize(manager, DataType.FLOAT32, input.getShape());
            float[] before = LruTest.forward(lru, input, true).toFloatArray();
            lru.getSignalMoments().start();
            // Loss sum_t,b w . y_t: its gradient at every output is w, so E[g g^T] = w w^T.
            float[] w = {0.5f, -1f, 2f, 0.25f};
            for (int pass = 0; pass < 2; pass++) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray y = LruTest.forward(lru, input, true);
                    Assert.assertEquals(y.toFloatArray(), before, 1e-6f, "the probe is zero");
                    collector.backward(y.mul(manager.create(w)).sum());
                }
                lru.getSignalMoments().collectGradient();
            }
            LruTest.forward(lru, input, false); // inference passes are not recorded
            SignalMoments moments = lru.getSignalMoments().takeMoments();
            Assert.assertNotNull(moments);
            Assert.assertEquals(moments.getSignalSamples(), 2L * BATCH * LENGTH);
            Assert.assertEquals(moments.getGradientSamples(), 2L * BATCH * LENGTH);
            double[][] expectedInput = secondMoment(u);
            double[][] input2 = moments.getSignal();
            double[][] gradient2 = moments.getGradient();
            for (int i = 0; i < FEATURES; i++) {
                for (int j = 0; j < FEATURES; j++) {
                    Assert.assertEquals(input2[i][j], expectedInput[i][j], 1e-5, i + "," + j);
                    Assert.assertEquals(gradient2[i][j], w[i] * w[j], 1e-6, i + "," + j);
                }
            }
            Assert.assertNull(lru.getSignalMoments().takeMoments(), "taking starts afresh");
        }
    }

    @Test
    public void offByDefaultAndAfterStop() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(3).build();
            NDArray input = manager.randomNormal(new Shape(2, 9, 2));
            lru.initialize(manager, DataType.FLOAT32, input.getShape());
            SignalRecording recorder = lru.getSignalMoments();
            Assert.assertFalse(recorder.isRecording());
            LruTest.forward(lru, input, true);
            recorder.collectGradient();
            Assert.assertNull(recorder.takeMoments());
            recorder.start();
            LruTest.forward(lru, input, true);
            recorder.stop();
            recorder.collectGradient();
            Assert.assertFalse(recorder.isRecording());
            Assert.assertNull(recorder.takeMoments(), "stop forgets what was recorded");
        }
    }

    @Test
    public void largeBatchesContributeEveryStrideThRow() {
        // 2 x 700 = 1400 rows: stride 3 keeps rows 0, 3, ..., 1398 (467 rows).
        int rows = 2 * 700;
        long stride = 3;
        Assert.assertTrue(rows > SignalMomentRecorder.MAX_ROWS_PER_BATCH);
        Assert.assertTrue(rows <= stride * SignalMomentRecorder.MAX_ROWS_PER_BATCH);
        Assert.assertTrue(rows > (stride - 1) * SignalMomentRecorder.MAX_ROWS_PER_BATCH);
        Random random = new Random(6);
        double[][][] u = LruTest.randomInput(random, 2, 700, FEATURES);
        double[][][] sampled = new double[1][(int) ((rows + stride - 1) / stride)][];
        for (int r = 0, k = 0; r < rows; r += stride, k++) {
            sampled[0][k] = u[r / 700][r % 700];
        }
        double[][] expected = secondMoment(sampled);
        double[][] full = secondMoment(u);
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(3).build();
            NDArray input = LruTest.toArray(manager, u, DataType.FLOAT32);
            lru.initialize(manager, DataType.FLOAT32, input.getShape());
            lru.getSignalMoments().start();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(LruTest.forward(lru, input, true).sum());
            }
            lru.getSignalMoments().collectGradient();
            SignalMoments moments = lru.getSignalMoments().takeMoments();
            Assert.assertEquals(moments.getSignalSamples(), sampled[0].length);
            Assert.assertEquals(moments.getGradientSamples(), sampled[0].length);
            double[][] actual = moments.getSignal();
            double[][] gradient = moments.getGradient();
            for (int i = 0; i < FEATURES; i++) {
                for (int j = 0; j < FEATURES; j++) {
                    Assert.assertEquals(actual[i][j], expected[i][j], 1e-5, i + "," + j);
                    // A third of the rows (467) estimates the unit-variance moment to about 0.05.
                    Assert.assertEquals(actual[i][j], full[i][j], 0.1, i + "," + j);
                    Assert.assertEquals(gradient[i][j], 1, 1e-6, "dL/dy = 1 everywhere");
                }
            }
        }
    }

    private static double[][] secondMoment(double[][][] u) {
        double[][] m = new double[FEATURES][FEATURES];
        int rows = 0;
        for (double[][] sequence : u) {
            for (double[] step : sequence) {
                for (int i = 0; i < FEATURES; i++) {
                    for (int j = 0; j < FEATURES; j++) {
                        m[i][j] += step[i] * step[j];
                    }
                }
                rows++;
            }
        }
        for (double[] row : m) {
            for (int j = 0; j < FEATURES; j++) {
                row[j] /= rows;
            }
        }
        return m;
    }
}
