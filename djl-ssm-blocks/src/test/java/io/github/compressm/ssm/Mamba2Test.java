package io.github.compressm.ssm;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The {@link Mamba2} layer against its per-step recurrence: outputs, carried states, gradients,
 * settings, saving.
 */
public class Mamba2Test {

    private static final int FEATURES = 3;

    @DataProvider
    public Object[][] forwardCases() {
        // batch, length, chunk length (0 automatic), head dimension (0 automatic), with states:
        // one step, shorter than the kernel, one chunk, several chunks with and without padding,
        // the automatic chunk length over two chunks.
        return new Object[][] {
            {2, 1, 0, 0, true},
            {2, 2, 4, 3, true},
            {1, 6, 6, 2, false},
            {1, 13, 4, 3, true},
            {2, 12, 3, 0, false},
            {2, 70, 0, 3, true}
        };
    }

    @Test(dataProvider = "forwardCases")
    public void matchesPerStepRecurrence(
            int batch, int length, int chunkLength, int headDimension, boolean withStates) {
        Engine.getInstance().setRandomSeed(length);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block =
                    Mamba2.builder()
                            .setStateSize(4)
                            .optHeadDimension(headDimension)
                            .optChunkLength(chunkLength)
                            .optReturnState(true)
                            .build();
            double[][][] u = LruTest.randomInput(new Random(length), batch, length, FEATURES);
            NDArray input = LruTest.toArray(manager, u, DataType.FLOAT64);
            block.initialize(manager, DataType.FLOAT64, input.getShape());
            Mamba2Reference reference = new Mamba2Reference(block);
            double[][][][] s0 = null;
            double[][][] c0 = null;
            NDList inputs = new NDList(input);
            if (withStates) {
                Random random = new Random(-length);
                s0 =
                        random4(
                                random,
                                batch,
                                reference.heads,
                                reference.headDimension,
                                reference.stateSize);
                c0 = LruTest.randomInput(random, batch, reference.kernel - 1, reference.inner);
                inputs.add(array4(manager, s0));
                inputs.add(LruTest.toArray(manager, c0, DataType.FLOAT64));
            }
            NDList out = forward(block, inputs, false);
            Mamba2Reference.Result expected = reference.run(u, s0, c0, null);
            LruTest.assertClose(out.get(0), expected.output, 1e-10);
            LruTest.assertArrayClose(
                    out.get(1).toDoubleArray(), flatten4(expected.finalState()), 1e-10);
            LruTest.assertClose(out.get(2), expected.convState, 1e-12);
            Assert.assertEquals(out.get(1).getShape(), block.getOutputShapes(shapes(inputs))[1]);
            Assert.assertEquals(out.get(2).getShape(), block.getOutputShapes(shapes(inputs))[2]);
        }
    }

    @Test
    public void selectiveTermsMatchThePerStepRecurrence() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = Mamba2.builder().setStateSize(4).optHeadDimension(2).build();
            double[][][] u = LruTest.randomInput(new Random(5), 2, 7, FEATURES);
            NDArray input = LruTest.toArray(manager, u, DataType.FLOAT64);
            block.initialize(manager, DataType.FLOAT64, input.getShape());
            Mamba2Reference.Result expected = new Mamba2Reference(block).run(u);
            NDList terms = block.selectiveTerms(new ParameterStore(manager, false), input, false);
            LruTest.assertClose(terms.get(0), expected.b, 1e-12);
            LruTest.assertClose(terms.get(1), expected.c, 1e-12);
            LruTest.assertClose(terms.get(2), expected.logDecay, 1e-12);
            Assert.assertEquals(terms.get(3).getShape(), new Shape(2, 7, block.getHeads(), 2));
            LruTest.assertClose(terms.get(3).reshape(2, 7, -1), expected.scanInput, 1e-12);
            Assert.assertEquals(terms.get(2).getShape(), new Shape(2, 7, block.getHeads()));
        }
    }

    @Test
    public void longChunksWithStrongDecayStayFiniteAndAccurateInFloat32() {
        Engine.getInstance().setRandomSeed(9);
        try (NDManager manager = NDManager.newBaseManager()) {
            // Steps up to 2 with rates up to 16: a chunk's total log decay reaches the thousands,
            // so exp(cum_i - cum_j) above the diagonal would overflow if it were not masked.
            Mamba2 block =
                    Mamba2.builder()
                            .setStateSize(4)
                            .optHeadDimension(3)
                            .optChunkLength(128)
                            .optTimeStepRange(0.001, 2)
                            .optDecayRange(1, 16)
                            .build();
            double[][][] u = LruTest.randomInput(new Random(9), 2, 128, FEATURES);
            NDArray input = LruTest.toArray(manager, u, DataType.FLOAT32);
            block.initialize(manager, DataType.FLOAT32, input.getShape());
            NDArray y = forward(block, new NDList(input), false).head();
            LruTest.assertClose(y, new Mamba2Reference(block).run(u).output, 2e-5);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(forward(block, new NDList(input), true).head().sum());
            }
            for (Parameter parameter : block.getParameters().values()) {
                NDArray gradient = parameter.getArray().getGradient();
                Assert.assertFalse(
                        gradient.isNaN().any().getBoolean()
                                || gradient.isInfinite().any().getBoolean(),
                        parameter.getName() + " gradient is not finite");
            }
        }
    }

    @DataProvider
    public Object[][] pieces() {
        // Two halves, step by step, and pieces of 5 against chunks of 4.
        return new Object[][] {{12}, {1}, {5}};
    }

    @Test(dataProvider = "pieces")
    public void sequenceInPiecesWithCarriedStateEqualsOnePass(int piece) {
        Engine.getInstance().setRandomSeed(20 + piece);
        try (NDManager manager = NDManager.newBaseManager()) {
            int length = 23;
            NDArray input = manager.randomNormal(new Shape(2, length, FEATURES));
            Mamba2 block =
                    Mamba2.builder()
                            .setStateSize(5)
                            .optHeadDimension(2)
                            .optChunkLength(4)
                            .optReturnState(true)
                            .build();
            block.initialize(manager, DataType.FLOAT32, input.getShape());
            NDList whole = forward(block, new NDList(input), false);
            NDList outputs = new NDList();
            NDList states = null;
            for (NDArray part : input.split(boundaries(length, piece), 1)) {
                NDList in = new NDList(part);
                if (states != null) {
                    in.addAll(states);
                }
                NDList out = forward(block, in, false);
                outputs.add(out.get(0));
                states = out.subNDList(1);
            }
            float tolerance = 1e-5f;
            Assert.assertTrue(
                    whole.get(0).allClose(NDArrays.concat(outputs, 1), tolerance, tolerance, false),
                    "outputs differ");
            Assert.assertTrue(
                    whole.get(1).allClose(states.get(0), tolerance, tolerance, false),
                    "SSM states differ");
            Assert.assertTrue(
                    whole.get(2).allClose(states.get(1), tolerance, tolerance, false),
                    "convolution states differ");
        }
    }

    @Test
    public void gradientsMatchFiniteDifferences() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block =
                    Mamba2.builder()
                            .setStateSize(3)
                            .optHeadDimension(2)
                            .optChunkLength(3)
                            .optReturnState(true)
                            .build();
            Random random = new Random(7);
            int length = 7;
            NDArray input =
                    LruTest.toArray(
                            manager, LruTest.randomInput(random, 1, length, 2), DataType.FLOAT64);
            block.initialize(manager, DataType.FLOAT64, input.getShape());
            NDArray ssm0 = array4(manager, random4(random, 1, 2, 2, 3));
            NDArray conv0 =
                    LruTest.toArray(
                            manager, LruTest.randomInput(random, 1, 3, 4), DataType.FLOAT64);
            NDArray weights =
                    LruTest.toArray(
                            manager, LruTest.randomInput(random, 1, length, 2), DataType.FLOAT64);
            NDArray stateWeights = array4(manager, random4(random, 1, 2, 2, 3));
            NDArray[] leaves = {input, ssm0, conv0};
            for (NDArray leaf : leaves) {
                leaf.setRequiresGradient(true);
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = forward(block, new NDList(input, ssm0, conv0), true);
                collector.backward(loss(out, weights, stateWeights));
            }
            NDList inputs = new NDList(input, ssm0, conv0);
            for (int k = 0; k < leaves.length; k++) {
                NDArray leaf = leaves[k];
                int index = k;
                double[] analytic = leaf.getGradient().toDoubleArray();
                double[] numeric =
                        FiniteDifferences.central(
                                leaf.toDoubleArray(),
                                1e-6,
                                v -> {
                                    NDList perturbed = new NDList(inputs);
                                    perturbed.set(index, manager.create(v, leaf.getShape()));
                                    return loss(
                                                    forward(block, perturbed, false),
                                                    weights,
                                                    stateWeights)
                                            .getDouble();
                                });
                LruTest.assertArrayClose(analytic, numeric, 1e-6);
            }
            for (Parameter parameter : block.getParameters().values()) {
                NDArray array = parameter.getArray();
                double[] analytic = array.getGradient().toDoubleArray();
                double[] original = array.toDoubleArray();
                double[] numeric =
                        FiniteDifferences.central(
                                original,
                                1e-6,
                                v -> {
                                    array.set(v);
                                    double value =
                                            loss(
                                                            forward(block, inputs, false),
                                                            weights,
                                                            stateWeights)
                                                    .getDouble();
                                    array.set(original);
                                    return value;
                                });
                try {
                    LruTest.assertArrayClose(analytic, numeric, 1e-6);
                } catch (AssertionError e) {
                    throw new AssertionError(parameter.getName() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Test
    public void theAutomaticChunkLengthGrowsWithTheStateTimesTheHeadDimension() {
        // The largest power of two whose square is at most N P, from 16 to 64.
        Assert.assertEquals(Mamba2.automaticChunkLength(1, 1), 16);
        Assert.assertEquals(Mamba2.automaticChunkLength(4, 64), 16);
        Assert.assertEquals(Mamba2.automaticChunkLength(16, 16), 16);
        Assert.assertEquals(Mamba2.automaticChunkLength(16, 63), 16);
        Assert.assertEquals(Mamba2.automaticChunkLength(16, 64), 32);
        Assert.assertEquals(Mamba2.automaticChunkLength(128, 16), 32);
        Assert.assertEquals(Mamba2.automaticChunkLength(64, 64), 64);
        Assert.assertEquals(Mamba2.automaticChunkLength(1 << 20, 1 << 10), 64);
    }

    @Test
    public void buildRejectsBadSettingsWithMessages() {
        assertBuildFails(Mamba2.builder(), "state size must be at least 1");
        assertBuildFails(Mamba2.builder().setStateSize(4).optExpansion(0), "expansion");
        assertBuildFails(Mamba2.builder().setStateSize(4).optHeadDimension(-1), "head dimension");
        assertBuildFails(Mamba2.builder().setStateSize(4).optConvolutionKernel(1), "at least 2");
        assertBuildFails(
                Mamba2.builder().setStateSize(4).optTimeStepRange(0.1, 0.01), "time step range");
        assertBuildFails(Mamba2.builder().setStateSize(4).optTimeStepRange(0, 0.1), "dtMin");
        assertBuildFails(Mamba2.builder().setStateSize(4).optDecayRange(-1, 16), "decay range");
        assertBuildFails(Mamba2.builder().setStateSize(4).optChunkLength(-1), "chunkLength");
    }

    @Test
    public void rejectsBadShapesWithMessages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 misfit = Mamba2.builder().setStateSize(4).optHeadDimension(4).build();
            IllegalArgumentException e =
                    Assert.expectThrows(
                            IllegalArgumentException.class,
                            () -> misfit.initialize(manager, DataType.FLOAT32, new Shape(1, 5, 3)));
            Assert.assertTrue(
                    e.getMessage().contains("must divide the inner width"), e.getMessage());

            Mamba2 block =
                    Mamba2.builder()
                            .setStateSize(4)
                            .optHeadDimension(3)
                            .optReturnState(true)
                            .build();
            NDArray input = manager.ones(new Shape(2, 5, 3));
            IllegalStateException notReady =
                    Assert.expectThrows(
                            IllegalStateException.class,
                            () -> forward(block, new NDList(input), false));
            Assert.assertTrue(
                    notReady.getMessage().contains("not initialised"), notReady.getMessage());
            block.initialize(manager, DataType.FLOAT32, input.getShape());
            NDArray ssm = manager.zeros(new Shape(2, 2, 3, 4));
            NDArray conv = manager.zeros(new Shape(2, 3, 6));
            assertRejected(
                    () ->
                            forward(
                                    block,
                                    new NDList(input, manager.zeros(new Shape(2, 2, 3, 5)), conv),
                                    false),
                    "(batch, heads, headDimension, stateSize) = (2, 2, 3, 4)");
            assertRejected(
                    () ->
                            forward(
                                    block,
                                    new NDList(input, ssm, manager.zeros(new Shape(2, 4, 6))),
                                    false),
                    "(batch, kernel - 1, innerWidth) = (2, 3, 6)");
            assertRejected(
                    () -> forward(block, new NDList(input, ssm), false),
                    "NDList(input) or NDList(input, ssmState, convState), got 2");
            assertRejected(
                    () -> forward(block, new NDList(manager.ones(new Shape(2, 5, 4))), false),
                    "expects input of shape (batch, time, 3)");
            NDArray doubles = manager.zeros(new Shape(2, 2, 3, 4), DataType.FLOAT64);
            assertRejected(
                    () -> forward(block, new NDList(input, doubles, conv), false),
                    "data type float32");
        }
    }

    @Test
    public void defaultsFitAnyFeatureCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int features : new int[] {1, 5, 64, 100}) {
                Mamba2 block = Mamba2.builder().setStateSize(8).build();
                NDArray input = manager.randomNormal(new Shape(1, 3, features));
                block.initialize(manager, DataType.FLOAT32, input.getShape());
                NDArray y = forward(block, new NDList(input), false).singletonOrThrow();
                Assert.assertEquals(y.getShape(), input.getShape());
                Assert.assertEquals(block.getInnerWidth() % block.getHeadDimension(), 0);
                Assert.assertTrue(block.getHeadDimension() <= 64);
            }
        }
    }

    @Test
    public void initialisationFollowsMamba2() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = Mamba2.builder().setStateSize(8).optHeadDimension(1).build();
            block.initialize(manager, DataType.FLOAT64, new Shape(1, 4, 100));
            double[] dtBias = block.getParameters().get("dt_bias").getArray().toDoubleArray();
            double[] aLog = block.getParameters().get("A_log").getArray().toDoubleArray();
            Assert.assertEquals(dtBias.length, 200);
            for (int h = 0; h < dtBias.length; h++) {
                double dt = Math.log1p(Math.exp(dtBias[h]));
                Assert.assertTrue(dt >= 0.001 - 1e-9 && dt <= 0.1 + 1e-9, "dt " + dt);
                double a = Math.exp(aLog[h]);
                Assert.assertTrue(a >= 1 && a <= 16, "A " + a);
            }
        }
    }

    @Test
    public void saveAndLoadKeepOutputs() throws Exception {
        Engine.getInstance().setRandomSeed(11);
        Path dir = Files.createTempDirectory("mamba2-save");
        try (Model model = Model.newInstance("mamba2");
                Model loaded = Model.newInstance("mamba2")) {
            Mamba2 block = Mamba2.builder().setStateSize(5).optHeadDimension(2).build();
            model.setBlock(block);
            NDArray input = model.getNDManager().randomNormal(new Shape(2, 9, 4));
            block.initialize(model.getNDManager(), DataType.FLOAT32, input.getShape());
            float[] before = forward(block, new NDList(input), false).head().toFloatArray();
            model.save(dir, "mamba2");
            Mamba2 fresh = Mamba2.builder().setStateSize(5).optHeadDimension(2).build();
            loaded.setBlock(fresh);
            loaded.load(dir, "mamba2");
            Assert.assertEquals(
                    forward(fresh, new NDList(input), false).head().toFloatArray(), before);
        }
    }

    @Test
    public void loadRejectsAnUnknownFormatVersion() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = Mamba2.builder().setStateSize(2).build();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 2));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            block.saveParameters(new DataOutputStream(bytes));
            byte[] saved = bytes.toByteArray();
            saved[0] = 99;
            Mamba2 fresh = Mamba2.builder().setStateSize(2).build();
            MalformedModelException e =
                    Assert.expectThrows(
                            MalformedModelException.class,
                            () ->
                                    fresh.loadParameters(
                                            manager,
                                            new DataInputStream(new ByteArrayInputStream(saved))));
            Assert.assertTrue(
                    e.getMessage().contains("Unsupported Mamba2 format version 99"),
                    e.getMessage());
        }
    }

    static NDList forward(Mamba2 block, NDList inputs, boolean training) {
        return block.forward(
                new ParameterStore(inputs.head().getManager(), false), inputs, training);
    }

    private static NDArray loss(NDList out, NDArray weights, NDArray stateWeights) {
        return out.get(0).mul(weights).sum().add(out.get(1).mul(stateWeights).sum());
    }

    private static Shape[] shapes(NDList list) {
        return list.getShapes();
    }

    static double[][][][] random4(Random random, int a, int b, int c, int d) {
        double[][][][] out = new double[a][b][c][d];
        for (double[][][] x : out) {
            for (double[][] y : x) {
                for (double[] z : y) {
                    for (int i = 0; i < d; i++) {
                        z[i] = random.nextGaussian();
                    }
                }
            }
        }
        return out;
    }

    static double[] flatten4(double[][][][] x) {
        int a = x.length;
        int b = x[0].length;
        int c = x[0][0].length;
        int d = x[0][0][0].length;
        double[] flat = new double[a * b * c * d];
        int k = 0;
        for (double[][][] p : x) {
            for (double[][] q : p) {
                for (double[] r : q) {
                    for (double v : r) {
                        flat[k++] = v;
                    }
                }
            }
        }
        return flat;
    }

    static NDArray array4(NDManager manager, double[][][][] x) {
        return manager.create(
                flatten4(x), new Shape(x.length, x[0].length, x[0][0].length, x[0][0][0].length));
    }

    private static long[] boundaries(int length, int piece) {
        long[] at = new long[(length - 1) / piece];
        for (int i = 0; i < at.length; i++) {
            at[i] = (long) (i + 1) * piece;
        }
        return at;
    }

    private static void assertBuildFails(Mamba2.Builder builder, String fragment) {
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, builder::build);
        Assert.assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static void assertRejected(Runnable call, String fragment) {
        IllegalArgumentException e = Assert.expectThrows(IllegalArgumentException.class, call::run);
        Assert.assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
