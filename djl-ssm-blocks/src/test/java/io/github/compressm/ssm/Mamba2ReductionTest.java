package io.github.compressm.ssm;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/** {@link Mamba2#reduceState}: a change of basis folded into the state projections. */
public class Mamba2ReductionTest {

    private static final int STATE = 6;

    @Test
    public void identityKeepsOutputsWithNewParameters() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = block(STATE);
            NDArray input = input(manager, 1, DataType.FLOAT64);
            block.initialize(manager, DataType.FLOAT64, input.getShape());
            double[] before = output(block, input);
            Parameter oldB = block.getParameters().get("B_proj");
            Parameter oldC = block.getParameters().get("C_proj");
            double[][] identity = identity(STATE);
            block.reduceState(identity, identity);
            for (Parameter old : new Parameter[] {oldB, oldC}) {
                Parameter fresh = block.getParameters().get(old.getName());
                Assert.assertNotEquals(fresh.getId(), old.getId());
                Assert.assertFalse(old.requiresGradient(), "old parameter must be frozen");
                Assert.assertTrue(fresh.getArray().hasGradient());
                Assert.assertSame(fresh.getArray().getManager(), old.getArray().getManager());
            }
            LruTest.assertArrayClose(output(block, input), before, 1e-12);
        }
    }

    @Test
    public void invertibleChangeOfBasisKeepsOutputs() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = block(STATE);
            NDArray input = input(manager, 2, DataType.FLOAT32);
            block.initialize(manager, DataType.FLOAT32, input.getShape());
            double[] before = output(block, input);
            double[][] t = wellConditioned(new Random(2), STATE);
            block.reduceState(inverse(t), t);
            Assert.assertEquals(block.getStateSize(), STATE);
            LruTest.assertArrayClose(output(block, input), before, 1e-5);
        }
    }

    @Test
    public void stateMapsPutBackRestoreAReducedBlock() {
        Engine.getInstance().setRandomSeed(6);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = block(STATE);
            NDArray input = input(manager, 6, DataType.FLOAT32);
            block.initialize(manager, DataType.FLOAT32, input.getShape());
            double[] before = output(block, input);
            StateMaps maps = block.getStateMaps();
            Assert.assertEquals(maps.getStateSize(), STATE);
            Assert.assertEquals(maps.inputMap()[0].length, block.getInnerWidth());
            double[][] b = maps.inputMap();
            double[] bProj =
                    block.getParameters()
                            .get("B_proj")
                            .getArray()
                            .toType(DataType.FLOAT64, false)
                            .toDoubleArray();
            Assert.assertEquals(b[1][2], bProj[(int) block.getInnerWidth() + 2], 1e-7);
            block.reduceState(random(new Random(6), 2, STATE), random(new Random(7), STATE, 2));
            Assert.assertEquals(block.getStateSize(), 2);
            block.setStateMaps(maps);
            Assert.assertEquals(block.getStateSize(), STATE);
            LruTest.assertArrayClose(output(block, input), before, 1e-6);
            assertRejected(
                    () ->
                            block.setStateMaps(
                                    new StateMaps(new double[][] {{1}}, new double[][] {{1}})),
                    "inner width");
            assertRejected(
                    () -> new StateMaps(new double[][] {{1, 2}}, new double[][] {{1}}),
                    "stateSize x innerWidth");
        }
    }

    @Test
    public void reducedBlockEqualsABlockBuiltAtTheSmallerSize() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = block(STATE);
            NDArray input = input(manager, 3, DataType.FLOAT64);
            block.initialize(manager, DataType.FLOAT64, input.getShape());
            Random random = new Random(3);
            block.reduceState(random(random, 2, STATE), random(random, STATE, 2));
            Assert.assertEquals(block.getStateSize(), 2);
            Mamba2 small = block(2);
            small.initialize(manager, DataType.FLOAT64, input.getShape());
            for (Parameter p : small.getParameters().values()) {
                NDArray reduced = block.getParameters().get(p.getName()).getArray();
                Assert.assertEquals(reduced.getShape(), p.getArray().getShape(), p.getName());
                p.getArray().set(reduced.toDoubleArray());
            }
            NDList reducedOut = Mamba2Test.forward(block, new NDList(input), false);
            NDList smallOut = Mamba2Test.forward(small, new NDList(input), false);
            Assert.assertEquals(reducedOut.get(1).getShape(), new Shape(2, 3, 2, 2));
            for (int k = 0; k < 3; k++) {
                LruTest.assertArrayClose(
                        reducedOut.get(k).toDoubleArray(), smallOut.get(k).toDoubleArray(), 1e-12);
            }
        }
    }

    @Test
    public void reducedBlockSavesAndLoadsIntoABlockBuiltAtTheOriginalSize() throws Exception {
        Engine.getInstance().setRandomSeed(4);
        Path dir = Files.createTempDirectory("mamba2-reduced");
        try (Model model = Model.newInstance("mamba2");
                Model loaded = Model.newInstance("mamba2")) {
            Mamba2 block = block(STATE);
            model.setBlock(block);
            NDArray input = input(model.getNDManager(), 4, DataType.FLOAT32);
            block.initialize(model.getNDManager(), DataType.FLOAT32, input.getShape());
            Random random = new Random(4);
            block.reduceState(random(random, 3, STATE), random(random, STATE, 3));
            double[] before = output(block, input);
            model.save(dir, "mamba2");
            Mamba2 fresh = block(STATE);
            loaded.setBlock(fresh);
            loaded.load(dir, "mamba2");
            Assert.assertEquals(fresh.getStateSize(), 3);
            Assert.assertEquals(output(fresh, input), before);
        }
    }

    @Test
    public void trainingUpdatesTheNewParametersOnly() {
        Engine.getInstance().setRandomSeed(5);
        try (Model model = Model.newInstance("mamba2")) {
            Mamba2 block = block(STATE);
            model.setBlock(block);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.l2Loss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(0.01f))
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                NDArray x = input(trainer.getManager(), 5, DataType.FLOAT32);
                trainer.initialize(x.getShape());
                step(trainer, x);
                Parameter old = block.getParameters().get("B_proj");
                Random random = new Random(5);
                block.reduceState(random(random, 4, STATE), random(random, STATE, 4));
                Parameter fresh = block.getParameters().get("B_proj");
                float[] oldValues = old.getArray().toFloatArray();
                float[] freshValues = fresh.getArray().toFloatArray();
                step(trainer, x);
                step(trainer, x);
                Assert.assertEquals(old.getArray().toFloatArray(), oldValues);
                Assert.assertNotEquals(fresh.getArray().toFloatArray(), freshValues);
            }
        }
    }

    @Test
    public void rejectsBadMapsWithMessages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 fresh = block(STATE);
            IllegalStateException e =
                    Assert.expectThrows(
                            IllegalStateException.class,
                            () -> fresh.reduceState(identity(STATE), identity(STATE)));
            Assert.assertTrue(e.getMessage().contains("not initialised"), e.getMessage());
            Mamba2 block = block(STATE);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 3));
            assertRejected(
                    () -> block.reduceState(random(new Random(1), 2, 5), identity(STATE)),
                    "left row 0 must have 6 entries, got 5");
            assertRejected(
                    () -> block.reduceState(random(new Random(1), 2, STATE), identity(STATE)),
                    "right row 0 must have 2 entries, got 6");
            double[][] nan = identity(STATE);
            nan[1][2] = Double.NaN;
            assertRejected(() -> block.reduceState(identity(STATE), nan), "right[1][2]");
            assertRejected(() -> block.reduceState(new double[0][], identity(STATE)), "left");
            Assert.assertEquals(block.getStateSize(), STATE, "a rejected map changes nothing");
        }
    }

    private static void step(Trainer trainer, NDArray x) {
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray y = trainer.forward(new NDList(x)).head();
            collector.backward(y.square().mean());
        }
        trainer.step();
    }

    private static Mamba2 block(int state) {
        return Mamba2.builder()
                .setStateSize(state)
                .optHeadDimension(2)
                .optChunkLength(4)
                .optTimeStepRange(0.05, 0.3)
                .optReturnState(true)
                .build();
    }

    private static NDArray input(NDManager manager, int seed, DataType type) {
        return LruTest.toArray(manager, LruTest.randomInput(new Random(seed), 2, 11, 3), type);
    }

    private static double[] output(Mamba2 block, NDArray input) {
        return Mamba2Test.forward(block, new NDList(input), false)
                .head()
                .toType(DataType.FLOAT64, false)
                .toDoubleArray();
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    private static double[][] random(Random random, int rows, int columns) {
        double[][] m = new double[rows][columns];
        for (double[] row : m) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextGaussian() / Math.sqrt(columns);
            }
        }
        return m;
    }

    /** The identity plus a small random part: invertible with a modest condition number. */
    private static double[][] wellConditioned(Random random, int n) {
        double[][] m = random(random, n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = 0.4 * m[i][j] + (i == j ? 1 : 0);
            }
        }
        return m;
    }

    /** Gauss-Jordan inversion with partial pivoting. */
    private static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            double scale = m[col][col];
            for (int j = 0; j < 2 * n; j++) {
                m[col][j] /= scale;
            }
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double factor = m[r][col];
                    for (int j = 0; j < 2 * n; j++) {
                        m[r][j] -= factor * m[col][j];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    private static void assertRejected(Runnable call, String fragment) {
        IllegalArgumentException e = Assert.expectThrows(IllegalArgumentException.class, call::run);
        Assert.assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
