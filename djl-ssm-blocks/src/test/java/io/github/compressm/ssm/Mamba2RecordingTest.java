package io.github.compressm.ssm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * The {@link Mamba2} recording: the states passed between chunks and the loss gradients with
 * respect to them, against the per-step recurrence and its finite differences.
 */
public class Mamba2RecordingTest {

    private static final int BATCH = 2;
    private static final int LENGTH = 10;
    private static final int CHUNK = 3;

    /**
     * The steps after which a recorded pass hands a state to the next chunk: it cuts the 10 steps
     * into chunks of min(3, ceil(10 / 8)) = 2 steps.
     */
    private static final int[] PASSED = {1, 3, 5, 7};

    @Test
    public void recordsPassedStatesAndTheirLossGradients() {
        Engine.getInstance().setRandomSeed(17);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = block();
            Random random = new Random(17);
            double[][][] u = LruTest.randomInput(random, BATCH, LENGTH, 2);
            double[][][] w = LruTest.randomInput(random, BATCH, LENGTH, 2);
            NDArray input = LruTest.toArray(manager, u, DataType.FLOAT64);
            NDArray weights = LruTest.toArray(manager, w, DataType.FLOAT64);
            block.initialize(manager, DataType.FLOAT64, input.getShape());
            SignalRecording recording = block.getSignalMoments();
            recording.start();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = Mamba2Test.forward(block, new NDList(input), true).head();
                collector.backward(y.mul(weights).sum());
            }
            recording.collectGradient();
            SignalMoments moments = recording.takeMoments();
            Assert.assertNotNull(moments);

            Mamba2Reference reference = new Mamba2Reference(block);
            List<double[]> states = new ArrayList<>();
            List<double[]> gradients = new ArrayList<>();
            Mamba2Reference.Result run = reference.run(u);
            double eps = 1e-6;
            for (int b = 0; b < BATCH; b++) {
                for (int t : PASSED) {
                    for (int h = 0; h < reference.heads; h++) {
                        for (int p = 0; p < reference.headDimension; p++) {
                            states.add(run.states[b][t][h][p]);
                            double[] g = new double[reference.stateSize];
                            for (int n = 0; n < g.length; n++) {
                                double plus = loss(reference, u, w, b, t, h, p, n, eps);
                                double minus = loss(reference, u, w, b, t, h, p, n, -eps);
                                g[n] = (plus - minus) / (2 * eps);
                            }
                            gradients.add(g);
                        }
                    }
                }
            }
            Assert.assertEquals(moments.getSignalSamples(), states.size());
            Assert.assertEquals(moments.getGradientSamples(), gradients.size());
            assertMatrixClose(moments.getSignal(), secondMoment(states), 1e-10);
            double[][] gradient = moments.getGradient();
            assertMatrixClose(gradient, secondMoment(gradients), 1e-7);
            Assert.assertTrue(gradient[0][0] > 0, "gradient moment must not vanish");
        }
    }

    @Test
    public void recordsNothingUnlessTrainingOnSeveralSteps() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = block();
            NDArray input =
                    LruTest.toArray(
                            manager,
                            LruTest.randomInput(new Random(3), BATCH, LENGTH, 2),
                            DataType.FLOAT64);
            block.initialize(manager, DataType.FLOAT64, input.getShape());
            SignalRecording recording = block.getSignalMoments();
            Mamba2Test.forward(block, new NDList(input), true);
            Assert.assertNull(recording.takeMoments(), "off by default");
            recording.start();
            Mamba2Test.forward(block, new NDList(input), false);
            recording.collectGradient();
            Assert.assertNull(recording.takeMoments(), "inference is not recorded");
            // A sequence of one step is one chunk and passes no state.
            Mamba2Test.forward(block, new NDList(input.get(":, :1")), true);
            recording.collectGradient();
            Assert.assertNull(recording.takeMoments(), "a single step passes no state");
            // A sequence that fits one chunk is cut into shorter ones while recording.
            Mamba2Test.forward(block, new NDList(input.get(":, :" + CHUNK)), true);
            recording.collectGradient();
            SignalMoments moments = recording.takeMoments();
            Assert.assertNotNull(moments, "a recorded pass cuts a one-chunk sequence");
            Assert.assertEquals(moments.getSignalSamples(), (CHUNK - 1L) * BATCH * 2 * 2);
        }
    }

    private static Mamba2 block() {
        return Mamba2.builder()
                .setStateSize(3)
                .optHeadDimension(2)
                .optChunkLength(CHUNK)
                .optTimeStepRange(0.1, 0.5)
                .build();
    }

    private static double loss(
            Mamba2Reference reference,
            double[][][] u,
            double[][][] w,
            int sequence,
            int step,
            int head,
            int row,
            int entry,
            double delta) {
        Mamba2Reference.Result run =
                reference.run(
                        u,
                        null,
                        null,
                        (b, t, s) -> {
                            if (b == sequence && t == step) {
                                s[head][row][entry] += delta;
                            }
                        });
        double sum = 0;
        for (int b = 0; b < u.length; b++) {
            for (int t = 0; t < u[b].length; t++) {
                for (int f = 0; f < w[b][t].length; f++) {
                    sum += run.output[b][t][f] * w[b][t][f];
                }
            }
        }
        return sum;
    }

    private static double[][] secondMoment(List<double[]> rows) {
        int n = rows.get(0).length;
        double[][] m = new double[n][n];
        for (double[] v : rows) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    m[i][j] += v[i] * v[j] / rows.size();
                }
            }
        }
        return m;
    }

    private static void assertMatrixClose(double[][] actual, double[][] expected, double tol) {
        double scale = 0;
        for (double[] row : expected) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) {
                Assert.assertEquals(
                        actual[i][j], expected[i][j], tol * scale, "entry " + i + ", " + j);
            }
        }
    }
}
