package io.github.compressm.listener;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import io.github.compressm.checkpoint.ScratchTest;
import io.github.compressm.control.EmpiricalBalancing;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.StateTransform;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.Mamba2;
import io.github.compressm.ssm.SignalMoments;
import io.github.compressm.ssm.SsmBlock;
import io.github.compressm.ssm.StateMaps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * Compression of selective layers ({@link Mamba2}) through the same listener as the linear ones:
 * empirical Gramians from recorded states, a reduction folded into the projections.
 */
public class SelectiveCompressionTest {

    private static final int LENGTH = 48;
    private static final int BATCH = 32;
    private static final int SAMPLES = 512;
    private static final int EPOCHS = 8;

    @Test
    public void mambaClassifierShrinksStillLearnsAndReloads() throws Exception {
        Engine.getInstance().setRandomSeed(4321);
        Path dir = Files.createTempDirectory("compressm-mamba2");
        TestTasks.LossRecorder losses = new TestTasks.LossRecorder();
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("mamba2")) {
            model.setBlock(classifier(false));
            ArrayDataset train = TestTasks.sinusoids(manager, SAMPLES, LENGTH, BATCH, 1);
            CompreSsmListener listener =
                    CompreSsmListener.builder()
                            .setTotalEpochs(EPOCHS)
                            .optTolerance(0.05)
                            .optWarmupFraction(0.5)
                            .build();
            try (Trainer trainer =
                    TestTasks.trainer(
                            model,
                            TestTasks.config(5e-3f, true, listener, losses),
                            BATCH,
                            LENGTH)) {
                EasyTrain.fit(trainer, EPOCHS, train, null);
            }
            CompressionReport report = listener.getReport();
            int after = report.getStateSizes().values().iterator().next();
            Assert.assertTrue(after < 16, "the Mamba2 state did not shrink: " + report);
            Assert.assertFalse(report.getReductions().isEmpty(), report.toString());
            for (Check check : report.getChecks()) {
                Assert.assertNotEquals(check.getOutcome(), Outcome.FAILED, check.getMessage());
            }
            int steps = losses.losses.size();
            double first = losses.mean(0, 16);
            double last = losses.mean(steps - 16, steps);
            Assert.assertTrue(last < 0.7 * first, "loss " + first + " -> " + last);

            NDArray probe = manager.randomNormal(new Shape(3, LENGTH, 1));
            float[] expected = TestTasks.infer(model.getBlock(), probe).toFloatArray();
            model.save(dir, "mamba2");
            try (Model loaded = Model.newInstance("mamba2")) {
                Block fresh = classifier(false);
                loaded.setBlock(fresh);
                loaded.load(dir, "mamba2");
                SsmBlock ssm = SsmBlockFinder.find(fresh).values().iterator().next();
                Assert.assertEquals(ssm.getStateSize(), after);
                NDArray again = probe.toDevice(loaded.getNDManager().getDevice(), true);
                Assert.assertEquals(TestTasks.infer(fresh, again).toFloatArray(), expected, 1e-6f);
            }
        } finally {
            ScratchTest.deleteTree(dir);
        }
    }

    @Test
    public void aModelMixingFamiliesCompressesEachLayer() throws Exception {
        CompreSsmListener listener =
                CompreSsmListener.builder()
                        .setTotalEpochs(4)
                        .optTolerance(0.1)
                        .optWarmupFraction(0.5)
                        .build();
        TestTasks.fitSinusoids(classifier(true), 4, SAMPLES, LENGTH, BATCH, 99, 3, listener);
        CompressionReport report = listener.getReport();
        Assert.assertEquals(report.getInitialStateSizes().size(), 2, report.toString());
        for (Map.Entry<String, Integer> e : report.getInitialStateSizes().entrySet()) {
            int now = report.getStateSizes().get(e.getKey());
            Assert.assertTrue(now < e.getValue(), e.getKey() + " kept its size: " + report);
        }
    }

    @Test
    public void statesInAnRDimensionalSubspaceReduceToRWithUnchangedOutputs() {
        int n = 16;
        int r = 5;
        int features = 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = Mamba2.builder().setStateSize(n).optChunkLength(8).build();
            NDArray input = manager.randomNormal(new Shape(4, 64, features));
            block.initialize(manager, DataType.FLOAT32, input.getShape());
            // B_t = W_B xc_t lies in the span of r columns of U: W_B = U M.
            Random rnd = new Random(11);
            long d = block.getInnerWidth();
            NDArray u = manager.randomNormal(new Shape(n, r));
            NDArray m = manager.randomNormal(new Shape(r, d)).mul(0.3);
            block.getParameters().get("B_proj").getArray().set(u.matMul(m).toFloatArray());
            float[] before = forward(block, input).toFloatArray();

            // One recorded training pass: states and their loss gradients.
            block.getSignalMoments().start();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out =
                        block.forward(new ParameterStore(manager, false), new NDList(input), true)
                                .singletonOrThrow();
                collector.backward(out.square().sum());
            }
            block.getSignalMoments().collectGradient();
            SignalMoments moments = block.getSignalMoments().takeMoments();
            block.getSignalMoments().stop();
            Assert.assertNotNull(moments, "nothing was recorded");

            EmpiricalBalancing balancing =
                    EmpiricalBalancing.of(moments.getSignal(), moments.getGradient());
            double[] hsv = balancing.getHankelSingularValues();
            for (int i = r; i < n; i++) {
                Assert.assertTrue(hsv[i] < 1e-3 * hsv[0], "sigma " + i + " = " + hsv[i]);
            }
            StateTransform transform = balancing.truncate(r, SelectionMode.LARGEST, rnd);
            block.reduceState(transform.getLeft(), transform.getRight());
            Assert.assertEquals(block.getStateSize(), r);
            float[] after = forward(block, input).toFloatArray();
            double scale = 0;
            double error = 0;
            for (int i = 0; i < before.length; i++) {
                scale = Math.max(scale, Math.abs(before[i]));
                error = Math.max(error, Math.abs(after[i] - before[i]));
            }
            Assert.assertTrue(error <= 1e-5 * Math.max(1, scale), "largest change " + error);
        }
    }

    @Test
    public void aReducedSelectiveLayerIsRestoredExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = Mamba2.builder().setStateSize(12).build();
            NDArray input = manager.randomNormal(new Shape(3, 40, 4));
            float[] before = recordOnePass(block, input);
            StateMaps maps = block.getStateMaps();
            CompressibleLayer.Truncation truncation =
                    layer(block).analyse().truncate(4, SelectionMode.LARGEST, null, true);
            truncation.apply();
            Assert.assertEquals(block.getStateSize(), 4);
            Assert.assertNotEquals(forward(block, input).toFloatArray(), before);
            truncation.undo();
            Assert.assertEquals(block.getStateSize(), 12);
            Assert.assertTrue(Arrays.deepEquals(block.getStateMaps().inputMap(), maps.inputMap()));
            Assert.assertTrue(
                    Arrays.deepEquals(block.getStateMaps().outputMap(), maps.outputMap()));
            Assert.assertEquals(forward(block, input).toFloatArray(), before, 1e-6f);
            block.getSignalMoments().stop();
        }
    }

    @Test
    public void aTruncationNotMadeUndoableKeepsNoCopyOfTheMaps() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = Mamba2.builder().setStateSize(12).build();
            NDArray input = manager.randomNormal(new Shape(3, 40, 4));
            recordOnePass(block, input);
            CompressibleLayer.Truncation truncation =
                    layer(block).analyse().truncate(4, SelectionMode.LARGEST, null, false);
            truncation.apply();
            Assert.assertEquals(block.getStateSize(), 4);
            IllegalStateException e =
                    Assert.expectThrows(IllegalStateException.class, truncation::undo);
            Assert.assertTrue(e.getMessage().contains("kept no copy"), e.getMessage());
            Assert.assertEquals(block.getStateSize(), 4, "a refused undo changes nothing");
            block.getSignalMoments().stop();
        }
    }

    /** Initialises the block and records one training pass; returns its inference output. */
    private static float[] recordOnePass(Mamba2 block, NDArray input) {
        NDManager manager = input.getManager();
        block.initialize(manager, DataType.FLOAT32, input.getShape());
        float[] output = forward(block, input).toFloatArray();
        block.getSignalMoments().start();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(
                    block.forward(new ParameterStore(manager, false), new NDList(input), true)
                            .singletonOrThrow()
                            .sum());
        }
        block.getSignalMoments().collectGradient();
        return output;
    }

    private static CompressibleLayer layer(Mamba2 block) {
        return CompressibleLayer.of(block, CompressionSettings.defaults(), null);
    }

    private static NDArray forward(Block block, NDArray input) {
        return block.forward(
                        new ParameterStore(input.getManager(), false), new NDList(input), false)
                .singletonOrThrow();
    }

    /**
     * Linear(1 -> 8), optionally an Lru, Mamba2 with 16 states (sequences of one chunk), mean,
     * head.
     */
    private static Block classifier(boolean withLru) {
        SequentialBlock net = new SequentialBlock().add(Linear.builder().setUnits(8).build());
        if (withLru) {
            net.add(Lru.builder().setStateSize(24).build()).add(Activation::relu);
        }
        return net.add(Mamba2.builder().setStateSize(16).build())
                .add(LambdaBlock.singleton(x -> x.mean(new int[] {1})))
                .add(Linear.builder().setUnits(TestTasks.CLASSES).build());
    }
}
