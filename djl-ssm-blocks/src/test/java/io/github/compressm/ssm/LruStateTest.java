package io.github.compressm.ssm;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** The LRU's initial and final state: step-wise and chunk-wise runs, gradients, shape checks. */
public class LruStateTest {

    private static final int BATCH = 2;
    private static final int LENGTH = 23;
    private static final int FEATURES = 3;
    private static final int STATE = 6;

    @DataProvider
    public Object[][] stepChunkLengths() {
        // A step is one chunk of one step whatever the setting; 0 is the automatic choice.
        return new Object[][] {{0}, {3}};
    }

    @Test(dataProvider = "stepChunkLengths")
    public void stepByStepEqualsWholeSequence(int chunkLength) {
        assertPiecewiseEqualsWhole(1, chunkLength);
    }

    @DataProvider
    public Object[][] chunkLengths() {
        // Pieces of 5 (the last one 3 steps) scanned in one chunk, in chunks of 1, 2 (padded) and
        // 4 (padded), and automatically.
        return new Object[][] {{0}, {1}, {2}, {4}, {5}};
    }

    @Test(dataProvider = "chunkLengths")
    public void chunkByChunkEqualsWholeSequence(int chunkLength) {
        assertPiecewiseEqualsWhole(5, chunkLength);
    }

    @DataProvider
    public Object[][] initialStates() {
        // batch, length, state, chunk length (0 automatic): one step, one chunk, several chunks
        // with padding, several without, long.
        return new Object[][] {
            {2, 1, 4, 0}, {3, 6, 5, 6}, {2, 13, 3, 4}, {1, 12, 7, 3}, {2, 101, 8, 0}
        };
    }

    @Test(dataProvider = "initialStates")
    public void nonzeroInitialStateMatchesReference(
            int batch, int length, int state, int chunkLength) {
        Engine.getInstance().setRandomSeed(40 + length);
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru =
                    Lru.builder()
                            .setStateSize(state)
                            .optChunkLength(chunkLength)
                            .optReturnState(true)
                            .build();
            double[][][] u = LruTest.randomInput(new Random(length), batch, length, FEATURES);
            double[][][] x0 = LruTest.randomInput(new Random(-length), batch, 2, state);
            NDArray input = LruTest.toArray(manager, u, DataType.FLOAT64);
            NDArray initial = LruTest.toArray(manager, x0, DataType.FLOAT64);
            lru.initialize(manager, DataType.FLOAT64, input.getShape(), initial.getShape());
            NDList out = run(lru, input, initial, false);
            double[][][] expected =
                    ReferenceRecurrence.run(lru.getRealization(), LruTest.feedthrough(lru), u, x0);
            LruTest.assertClose(out.get(0), expected, 1e-9);
            // x0 now holds the reference's final state.
            LruTest.assertClose(out.get(1), x0, 1e-9);
        }
    }

    @Test
    public void zeroInitialStateEqualsNoInitialState() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(STATE).optReturnState(true).build();
            NDArray input = manager.randomNormal(new Shape(BATCH, LENGTH, FEATURES));
            lru.initialize(manager, DataType.FLOAT32, input.getShape());
            NDList without = run(lru, input, null, false);
            NDList with = run(lru, input, manager.zeros(new Shape(BATCH, 2, STATE)), false);
            Assert.assertEquals(with.get(0).toFloatArray(), without.get(0).toFloatArray());
            Assert.assertEquals(with.get(1).toFloatArray(), without.get(1).toFloatArray());
        }
    }

    @Test
    public void gradientsThroughCarriedStateEqualWholeSequenceGradients() {
        Engine.getInstance().setRandomSeed(12);
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(3).optRMin(0.5).optReturnState(true).build();
            NDArray input = randomDoubles(manager, 1, BATCH, LENGTH, FEATURES);
            NDArray weights = randomDoubles(manager, 2, BATCH, LENGTH, FEATURES);
            lru.initialize(manager, DataType.FLOAT64, input.getShape());
            List<double[]> whole = gradients(lru, input, weights, LENGTH);
            List<double[]> pieces = gradients(lru, input, weights, 5);
            for (int k = 0; k < whole.size(); k++) {
                LruTest.assertArrayClose(pieces.get(k), whole.get(k), 1e-9);
            }
        }
    }

    @Test
    public void initialStateGradientMatchesFiniteDifferences() {
        Engine.getInstance().setRandomSeed(13);
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(3).optRMin(0.5).optReturnState(true).build();
            NDArray input = randomDoubles(manager, 3, BATCH, 7, FEATURES);
            NDArray initial = randomDoubles(manager, 4, BATCH, 2, 3);
            NDArray weights = randomDoubles(manager, 5, BATCH, 7, FEATURES);
            NDArray stateWeights = randomDoubles(manager, 6, BATCH, 2, 3);
            lru.initialize(manager, DataType.FLOAT64, input.getShape(), initial.getShape());
            initial.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = run(lru, input, initial, true);
                collector.backward(
                        out.get(0).mul(weights).sum().add(out.get(1).mul(stateWeights).sum()));
            }
            double[] analytic = initial.getGradient().toDoubleArray();
            double[] values = initial.toDoubleArray();
            double[] numeric =
                    FiniteDifferences.central(
                            values, 1e-6, v -> loss(lru, input, v, weights, stateWeights));
            for (int k = 0; k < values.length; k++) {
                Assert.assertEquals(analytic[k], numeric[k], 1e-7, "d loss / d x0[" + k + "]");
            }
        }
    }

    @Test
    public void rejectsBadStatesWithMessages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(4).optReturnState(true).build();
            NDArray input = manager.ones(new Shape(2, 5, 3));
            lru.initialize(manager, DataType.FLOAT32, input.getShape());
            for (Shape bad :
                    new Shape[] {new Shape(2, 4), new Shape(2, 2, 5), new Shape(3, 2, 4)}) {
                NDArray state = manager.zeros(bad);
                assertRejected(
                        () -> run(lru, input, state, false),
                        "(batch, 2, stateSize) = (2, 2, 4)",
                        "got " + bad);
            }
            NDArray doubles = manager.zeros(new Shape(2, 2, 4), DataType.FLOAT64);
            assertRejected(() -> run(lru, input, doubles, false), "data type float32");
            NDArray state = manager.zeros(new Shape(2, 2, 4));
            assertRejected(
                    () ->
                            lru.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(input, state, state),
                                    false),
                    "NDList(input) or NDList(input, initialState), got 3");
            Lru fresh = Lru.builder().setStateSize(4).build();
            assertRejected(
                    () ->
                            fresh.initialize(
                                    manager, DataType.FLOAT32, new Shape(2, 5, 3), new Shape(2, 4)),
                    "(batch, 2, stateSize) = (2, 2, 4)");
        }
    }

    @Test
    public void initializesFromTheStateFormAndReportsBothOutputShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(2, 5, 3);
            Shape state = new Shape(2, 2, 4);
            Lru lru = Lru.builder().setStateSize(4).optReturnState(true).build();
            lru.initialize(manager, DataType.FLOAT32, input, state);
            Assert.assertEquals(
                    lru.getOutputShapes(new Shape[] {input, state}), new Shape[] {input, state});
            Assert.assertEquals(
                    lru.getOutputShapes(new Shape[] {input}), new Shape[] {input, state});
            Lru plain = Lru.builder().setStateSize(4).build();
            Assert.assertEquals(
                    plain.getOutputShapes(new Shape[] {input, state}), new Shape[] {input});
            Assert.assertFalse(plain.isReturnState());
            Assert.assertTrue(lru.isReturnState());
        }
    }

    @Test
    public void returnStateIsABuilderSettingNotSaved() throws Exception {
        Engine.getInstance().setRandomSeed(14);
        Path dir = Files.createTempDirectory("lru-state-save");
        try (Model model = Model.newInstance("lru");
                Model loaded = Model.newInstance("lru")) {
            Lru lru = Lru.builder().setStateSize(5).build();
            model.setBlock(lru);
            NDArray input = model.getNDManager().randomNormal(new Shape(1, 9, 2));
            lru.initialize(model.getNDManager(), DataType.FLOAT32, input.getShape());
            float[] before = run(lru, input, null, false).singletonOrThrow().toFloatArray();
            model.save(dir, "lru");
            Lru stepping = Lru.builder().setStateSize(5).optReturnState(true).build();
            loaded.setBlock(stepping);
            loaded.load(dir, "lru");
            NDList out = run(stepping, input, null, false);
            Assert.assertEquals(out.size(), 2);
            Assert.assertEquals(out.get(0).toFloatArray(), before);
        }
    }

    /**
     * Runs the same float32 model over the whole sequence and in pieces of {@code piece} steps with
     * the state carried, and compares outputs and final states.
     */
    private static void assertPiecewiseEqualsWhole(int piece, int chunkLength) {
        Engine.getInstance().setRandomSeed(30 + piece);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.randomNormal(new Shape(BATCH, LENGTH, FEATURES));
            Lru whole = Lru.builder().setStateSize(STATE).optReturnState(true).build();
            whole.initialize(manager, DataType.FLOAT32, input.getShape());
            NDList expected = run(whole, input, null, false);

            Lru stepping =
                    Lru.builder()
                            .setStateSize(STATE)
                            .optChunkLength(chunkLength)
                            .optReturnState(true)
                            .build();
            stepping.initialize(manager, DataType.FLOAT32, input.getShape());
            copyParameters(whole, stepping);
            NDList outputs = new NDList();
            NDArray state = null;
            for (NDArray part : input.split(boundaries(piece), 1)) {
                NDList out = run(stepping, part, state, false);
                outputs.add(out.get(0));
                state = out.get(1);
            }
            float tolerance = 2e-6f;
            Assert.assertTrue(
                    expected.get(0)
                            .allClose(NDArrays.concat(outputs, 1), tolerance, tolerance, false),
                    "outputs differ");
            Assert.assertTrue(
                    expected.get(1).allClose(state, tolerance, tolerance, false), "states differ");
        }
    }

    /** The parameter gradients of a weighted sum of the outputs, run in pieces of {@code piece}. */
    private static List<double[]> gradients(Lru lru, NDArray input, NDArray weights, int piece) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.zeroGradients();
            NDList ws = weights.split(boundaries(piece), 1);
            NDArray state = null;
            NDArray loss = null;
            int k = 0;
            for (NDArray part : input.split(boundaries(piece), 1)) {
                NDList out = run(lru, part, state, true);
                NDArray term = out.get(0).mul(ws.get(k++)).sum();
                loss = loss == null ? term : loss.add(term);
                state = out.get(1);
            }
            collector.backward(loss);
        }
        List<double[]> result = new ArrayList<>();
        for (Parameter p : lru.getParameters().values()) {
            result.add(p.getArray().getGradient().toDoubleArray());
        }
        return result;
    }

    private static double loss(
            Lru lru, NDArray input, double[] x0, NDArray weights, NDArray stateWeights) {
        NDArray initial = input.getManager().create(x0, stateWeights.getShape());
        NDList out = run(lru, input, initial, false);
        return out.get(0).mul(weights).sum().getDouble()
                + out.get(1).mul(stateWeights).sum().getDouble();
    }

    private static long[] boundaries(int piece) {
        long[] at = new long[(LENGTH - 1) / piece];
        for (int i = 0; i < at.length; i++) {
            at[i] = (long) (i + 1) * piece;
        }
        return at;
    }

    private static NDList run(Lru lru, NDArray input, NDArray state, boolean training) {
        NDList inputs = state == null ? new NDList(input) : new NDList(input, state);
        return lru.forward(new ParameterStore(input.getManager(), false), inputs, training);
    }

    private static void copyParameters(Lru from, Lru to) {
        for (Parameter p : from.getParameters().values()) {
            to.getParameters().get(p.getName()).getArray().set(p.getArray().toFloatArray());
        }
    }

    private static NDArray randomDoubles(NDManager manager, int seed, int... shape) {
        return LruTest.toArray(
                manager,
                LruTest.randomInput(new Random(seed), shape[0], shape[1], shape[2]),
                DataType.FLOAT64);
    }

    private static void assertRejected(Runnable call, String... fragments) {
        IllegalArgumentException e = Assert.expectThrows(IllegalArgumentException.class, call::run);
        for (String fragment : fragments) {
            Assert.assertTrue(e.getMessage().contains(fragment), e.getMessage());
        }
    }
}
