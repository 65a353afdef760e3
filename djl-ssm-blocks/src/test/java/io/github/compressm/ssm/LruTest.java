package io.github.compressm.ssm;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class LruTest {

    @DataProvider
    public Object[][] shapes() {
        // batch, length, features, state: length 1, a prime, one chunk plus one, long with padding;
        // the last two have fewer real state coordinates than features (2 state < features), where
        // the layer changes the layout on the state's side of its projections.
        return new Object[][] {
            {2, 1, 3, 4},
            {3, 13, 2, 5},
            {2, 101, 4, 7},
            {1, 257, 3, 16},
            {2, 784, 2, 3},
            {2, 101, 9, 4},
            {3, 13, 8, 2}
        };
    }

    @DataProvider
    public Object[][] sides() {
        // features, state: the input's side (2 state >= features) and the state's side.
        return new Object[][] {{2, 3}, {7, 3}};
    }

    @Test(dataProvider = "shapes")
    public void forwardMatchesSequentialRecurrence(int batch, int length, int features, int state) {
        for (DiagonalScan scan : new DiagonalScan[] {DiagonalScan.CHUNKED, DiagonalScan.FFT}) {
            Engine.getInstance().setRandomSeed(7 + length);
            try (NDManager manager = NDManager.newBaseManager()) {
                Lru lru = Lru.builder().setStateSize(state).optScan(scan).build();
                double[][][] u = randomInput(new Random(length), batch, length, features);
                NDArray input = toArray(manager, u, DataType.FLOAT64);
                lru.initialize(manager, DataType.FLOAT64, input.getShape());
                NDArray out = forward(lru, input, false);
                double[][][] expected =
                        ReferenceRecurrence.run(lru.getRealization(), feedthrough(lru), u);
                assertClose(out, expected, 1e-9);
            }
        }
    }

    @Test
    public void everyChunkLengthGivesTheSameOutputs() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][][] u = randomInput(new Random(4), 2, 61, 3);
            NDArray input = toArray(manager, u, DataType.FLOAT64);
            Lru lru = Lru.builder().setStateSize(5).build();
            lru.initialize(manager, DataType.FLOAT64, input.getShape());
            double[][][] expected =
                    ReferenceRecurrence.run(lru.getRealization(), feedthrough(lru), u);
            for (int chunk : new int[] {1, 2, 7, 8, 60, 61, 100}) {
                Lru chunked = Lru.builder().setStateSize(5).optChunkLength(chunk).build();
                chunked.initialize(manager, DataType.FLOAT64, input.getShape());
                chunked.setRealization(lru.getRealization());
                NDArray d = chunked.getParameters().get("D").getArray();
                d.set(feedthrough(lru));
                assertClose(forward(chunked, input, false), expected, 1e-6);
            }
        }
    }

    @Test
    public void float32ForwardMatchesReferenceOnLongSequence() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(32).build();
            double[][][] u = randomInput(new Random(3), 2, 1000, 4);
            NDArray input = toArray(manager, u, DataType.FLOAT32);
            lru.initialize(manager, DataType.FLOAT32, input.getShape());
            double[][][] expected =
                    ReferenceRecurrence.run(lru.getRealization(), feedthrough(lru), u);
            assertClose(forward(lru, input, false), expected, 2e-3);
        }
    }

    @Test(dataProvider = "sides")
    public void gradientsMatchFiniteDifferences(int features, int state) {
        Engine.getInstance().setRandomSeed(11);
        // The chunked scan's two layouts; FftDiagonalScanTest checks the FFT scan's gradients.
        assertGradientsMatchFiniteDifferences(
                Lru.builder()
                        .setStateSize(state)
                        .optRMin(0.5)
                        .optRMax(0.95)
                        .optScan(DiagonalScan.CHUNKED)
                        .build(),
                features,
                "Lru");
    }

    /**
     * Checks every parameter's gradient of a weighted output sum in double precision, on inputs of
     * 2 sequences of 23 steps.
     */
    static void assertGradientsMatchFiniteDifferences(
            AbstractDiagonalSsm block, int features, String what) {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][][] u = randomInput(new Random(5), 2, 23, features);
            double[][][] weights = randomInput(new Random(6), 2, 23, features);
            NDArray input = toArray(manager, u, DataType.FLOAT64);
            NDArray w = toArray(manager, weights, DataType.FLOAT64);
            block.initialize(manager, DataType.FLOAT64, input.getShape());
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = forward(block, input, true).mul(w).sum();
                collector.backward(loss);
            }
            double h = 1e-6;
            for (Parameter p : block.getParameters().values()) {
                NDArray array = p.getArray();
                double[] analytic = array.getGradient().toDoubleArray();
                double[] values = array.toDoubleArray();
                double[] numeric =
                        FiniteDifferences.central(
                                values, h, v -> weightedSum(block, p, v, input, w));
                for (int k = 0; k < values.length; k++) {
                    Assert.assertEquals(
                            analytic[k],
                            numeric[k],
                            1e-6 * Math.max(1, Math.abs(numeric[k])),
                            what + " " + p.getName() + "[" + k + "]");
                }
                array.set(values);
            }
        }
    }

    @Test
    public void statesStayFiniteOnLongSequences() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(16).optRMin(0.99).optRMax(0.9999).build();
            NDArray input = manager.randomNormal(new Shape(2, 16384, 3));
            lru.initialize(manager, DataType.FLOAT32, input.getShape());
            NDArray out = forward(lru, input, false);
            Assert.assertEquals(out.getShape(), new Shape(2, 16384, 3));
            Assert.assertTrue(out.isInfinite().any().logicalNot().getBoolean(), "inf in output");
            Assert.assertTrue(out.isNaN().any().logicalNot().getBoolean(), "NaN in output");
            // A stable system driven by unit noise stays bounded: the gain is at most
            // sum |c||b| / (1 - |lambda|) per state, and gamma normalises 1 - |lambda|^2.
            Assert.assertTrue(out.abs().max().getFloat() < 1e3, "output blew up");
        }
    }

    @Test
    public void realizationRoundTripKeepsOutputs() {
        Engine.getInstance().setRandomSeed(21);
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(6).build();
            double[][][] u = randomInput(new Random(8), 2, 40, 3);
            NDArray input = toArray(manager, u, DataType.FLOAT64);
            lru.initialize(manager, DataType.FLOAT64, input.getShape());
            double[] before = forward(lru, input, false).toDoubleArray();
            lru.setRealization(lru.getRealization());
            double[] after = forward(lru, input, false).toDoubleArray();
            // Parameters round-trip through float32 values.
            assertArrayClose(after, before, 1e-4);
        }
    }

    @Test
    public void setRealizationShrinksAndFreezesOldParameters() {
        Engine.getInstance().setRandomSeed(22);
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(6).build();
            double[][][] u = randomInput(new Random(9), 1, 30, 2);
            NDArray input = toArray(manager, u, DataType.FLOAT64);
            lru.initialize(manager, DataType.FLOAT64, input.getShape());
            Parameter oldB = lru.getParameters().get("B_re");
            DiagonalRealization smaller = keepStates(lru.getRealization(), 0, 2, 5);
            lru.setRealization(smaller);
            Assert.assertEquals(lru.getStateSize(), 3);
            Assert.assertFalse(oldB.requiresGradient(), "old parameter must be frozen");
            Parameter newB = lru.getParameters().get("B_re");
            Assert.assertNotEquals(newB.getId(), oldB.getId());
            Assert.assertEquals(newB.getArray().getShape(), new Shape(3, 2));
            Assert.assertTrue(newB.getArray().hasGradient());
            double[][][] expected = ReferenceRecurrence.run(smaller, feedthrough(lru), u);
            assertClose(forward(lru, input, false), expected, 1e-5);
        }
    }

    @Test
    public void conjugateAndRealEigenvaluesMapToLruStates() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(3).build();
            double[][][] u = randomInput(new Random(10), 1, 25, 2);
            NDArray input = toArray(manager, u, DataType.FLOAT64);
            lru.initialize(manager, DataType.FLOAT64, input.getShape());
            // A negative-phase state, a real positive and a real negative eigenvalue.
            double[][] bRe = {{0.3, -0.2}, {0.5, 0.1}, {-0.4, 0.9}};
            double[][] bIm = {{0.1, 0.4}, {0, 0}, {0, 0}};
            double[][] cRe = {{1, 0.5, -0.3}, {0.2, -1, 0.7}};
            double[][] cIm = {{0.3, 0, 0}, {-0.6, 0, 0}};
            DiagonalRealization system =
                    new DiagonalRealization(
                            new double[] {0.6, 0.8, -0.7},
                            new double[] {-0.5, 0, 0},
                            bRe,
                            bIm,
                            cRe,
                            cIm);
            lru.setRealization(system);
            // The real positive eigenvalue gets a phase of REAL_MODE_PHASE times its decay rate.
            double phase = -AbstractDiagonalSsm.REAL_MODE_PHASE * Math.log(0.8);
            DiagonalRealization lifted =
                    new DiagonalRealization(
                            new double[] {0.6, 0.8 * Math.cos(phase), -0.7},
                            new double[] {-0.5, 0.8 * Math.sin(phase), 0},
                            bRe,
                            bIm,
                            cRe,
                            cIm);
            NDArray out = forward(lru, input, false);
            assertClose(out, ReferenceRecurrence.run(lifted, feedthrough(lru), u), 1e-9);
            // ... which changes the outputs by about REAL_MODE_PHASE^2 relative.
            assertClose(out, ReferenceRecurrence.run(system, feedthrough(lru), u), 2e-5);
        }
    }

    @Test
    public void realEigenvalueFromCompressionLearnsAPhase() {
        // Starts at REAL_MODE_PHASE * -log(0.9) = 1e-3 and reaches 0.8 of the target's 1 in 100
        // steps; from a phase of 1e-9 it stays below 1e-6 (its gradient is below Adam's epsilon).
        double learnt = RealModeTraining.learntPhase(Lru.builder().setStateSize(1).build(), 100);
        Assert.assertTrue(learnt > 0.3, "phase " + learnt);
    }

    @Test
    public void saveLoadRoundTripAtOriginalAndShrunkSize() throws IOException, Exception {
        Engine.getInstance().setRandomSeed(33);
        Path dir = Files.createTempDirectory("lru-save");
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][][] u = randomInput(new Random(12), 2, 50, 3);
            for (int keep : new int[] {8, 3}) {
                try (Model model = Model.newInstance("lru")) {
                    Lru lru = Lru.builder().setStateSize(8).build();
                    model.setBlock(lru);
                    NDArray input = toArray(model.getNDManager(), u, DataType.FLOAT32);
                    lru.initialize(model.getNDManager(), DataType.FLOAT32, input.getShape());
                    if (keep < 8) {
                        lru.setRealization(keepStates(lru.getRealization(), 0, 3, 6));
                    }
                    float[] before = forward(lru, input, false).toFloatArray();
                    model.save(dir, "lru" + keep);
                    try (Model loaded = Model.newInstance("lru")) {
                        Lru fresh = Lru.builder().setStateSize(8).build();
                        loaded.setBlock(fresh);
                        loaded.load(dir, "lru" + keep);
                        Assert.assertEquals(fresh.getStateSize(), keep);
                        NDArray again = toArray(loaded.getNDManager(), u, DataType.FLOAT32);
                        Assert.assertEquals(forward(fresh, again, false).toFloatArray(), before);
                    }
                }
            }
        }
    }

    @Test
    public void rejectsBadInputWithMessages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(4).build();
            IllegalArgumentException e =
                    Assert.expectThrows(
                            IllegalArgumentException.class,
                            () -> lru.initialize(manager, DataType.FLOAT32, new Shape(2, 5)));
            Assert.assertTrue(e.getMessage().contains("(batch, time, features)"), e.getMessage());
            lru.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 3));
            NDArray wrongFeatures = manager.ones(new Shape(2, 5, 4));
            e =
                    Assert.expectThrows(
                            IllegalArgumentException.class,
                            () -> forward(lru, wrongFeatures, false));
            Assert.assertTrue(e.getMessage().contains("(batch, time, 3)"), e.getMessage());
            NDArray twoD = manager.ones(new Shape(5, 3));
            e =
                    Assert.expectThrows(
                            IllegalArgumentException.class, () -> forward(lru, twoD, false));
            Assert.assertTrue(e.getMessage().contains("(batch, time, features)"), e.getMessage());
        }
    }

    @Test
    public void builderValidatesSettings() {
        assertBuildFails(Lru.builder(), "at least 1");
        assertBuildFails(Lru.builder().setStateSize(0), "at least 1, got 0");
        assertBuildFails(Lru.builder().setStateSize(4).optRMin(0), "rMin must be in (0, 1)");
        assertBuildFails(Lru.builder().setStateSize(4).optRMax(1), "rMax must be in (0, 1)");
        assertBuildFails(
                Lru.builder().setStateSize(4).optRMin(0.95).optRMax(0.9), "must not exceed");
        assertBuildFails(Lru.builder().setStateSize(4).optMaxPhase(-1), "maxPhase");
        assertBuildFails(Lru.builder().setStateSize(4).optChunkLength(-1), "chunkLength");
    }

    @Test
    public void rejectsUnstableRealization() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(2).build();
            lru.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 1));
            DiagonalRealization unstable =
                    new DiagonalRealization(
                            new double[] {1.0},
                            new double[] {0.2},
                            new double[][] {{1}},
                            new double[][] {{0}},
                            new double[][] {{1}},
                            new double[][] {{0}});
            IllegalArgumentException e =
                    Assert.expectThrows(
                            IllegalArgumentException.class, () -> lru.setRealization(unstable));
            Assert.assertTrue(e.getMessage().contains("|lambda| < 1"), e.getMessage());
            Assert.assertEquals(lru.getStateSize(), 2, "failed swap must not change the layer");
        }
    }

    private static void assertBuildFails(Lru.Builder builder, String fragment) {
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, builder::build);
        Assert.assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    static DiagonalRealization keepStates(DiagonalRealization r, int... keep) {
        int h = r.getInputSize();
        double[] lre = new double[keep.length];
        double[] lim = new double[keep.length];
        double[][] bre = new double[keep.length][];
        double[][] bim = new double[keep.length][];
        double[][] cre = new double[r.getOutputSize()][keep.length];
        double[][] cim = new double[r.getOutputSize()][keep.length];
        for (int k = 0; k < keep.length; k++) {
            int i = keep[k];
            lre[k] = r.getLambdaRe()[i];
            lim[k] = r.getLambdaIm()[i];
            bre[k] = r.getBRe()[i];
            bim[k] = r.getBIm()[i];
            for (int j = 0; j < r.getOutputSize(); j++) {
                cre[j][k] = r.getCRe()[j][i];
                cim[j][k] = r.getCIm()[j][i];
            }
        }
        return new DiagonalRealization(lre, lim, bre, bim, cre, cim);
    }

    static double weightedSum(
            AbstractDiagonalSsm lru, Parameter p, double[] values, NDArray input, NDArray w) {
        p.getArray().set(values);
        return forward(lru, input, false).mul(w).sum().getDouble();
    }

    static NDArray forward(AbstractDiagonalSsm lru, NDArray input, boolean training) {
        return lru.forward(
                        new ParameterStore(input.getManager(), false), new NDList(input), training)
                .singletonOrThrow();
    }

    static double[] feedthrough(AbstractDiagonalSsm lru) {
        return lru.getParameters()
                .get("D")
                .getArray()
                .toType(DataType.FLOAT64, false)
                .toDoubleArray();
    }

    static double[][][] randomInput(Random random, int batch, int length, int features) {
        double[][][] u = new double[batch][length][features];
        for (double[][] seq : u) {
            for (double[] step : seq) {
                for (int j = 0; j < features; j++) {
                    step[j] = random.nextGaussian();
                }
            }
        }
        return u;
    }

    static NDArray toArray(NDManager manager, double[][][] u, DataType type) {
        Shape shape = new Shape(u.length, u[0].length, u[0][0].length);
        return manager.create(ReferenceRecurrence.flatten(u), shape).toType(type, false);
    }

    static void assertClose(NDArray actual, double[][][] expected, double tolerance) {
        double[] flat = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        assertArrayClose(flat, ReferenceRecurrence.flatten(expected), tolerance);
    }

    static void assertArrayClose(double[] actual, double[] expected, double tolerance) {
        Assert.assertEquals(actual.length, expected.length, "length");
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < actual.length; i++) {
            Assert.assertEquals(
                    actual[i], expected[i], tolerance * Math.max(1, scale), "element " + i);
        }
    }
}
