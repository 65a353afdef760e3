package io.github.compressm.listener;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import io.github.compressm.control.GramianWeighting;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.StateSpectrum;
import io.github.compressm.control.TruncationRule;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.ssm.Mamba2;
import io.github.compressm.ssm.SsmBlock;
import io.github.compressm.ssm.StateMaps;
import java.util.Arrays;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/** One check of a selective layer, with and without the pragmatic mode's rollback. */
public class LayerCompressorTest {

    private static final int LENGTH = 24;
    private static final int STATE = 12;

    private static final TruncationRule QUARTER =
            TruncationRule.builder().optKeepFraction(0.25).build();

    @Test
    public void withoutRollbackTheTruncationKeepsNoCopyOfTheLayer() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("selective")) {
            Mamba2 block = selectiveModel(model);
            Spy layer = new Spy(CompressibleLayer.of(block, CompressionSettings.defaults(), null));
            LayerCompressor compressor = new LayerCompressor(QUARTER, null, 1);
            try (Trainer trainer = record(model, manager, block)) {
                Check c =
                        compressor.check(trainer, 1, "mamba", layer, compressor.accuracy(trainer));
                Assert.assertEquals(c.getOutcome(), Outcome.REDUCED, c.toString());
                Assert.assertEquals(layer.undoable, Boolean.FALSE);
                Assert.assertEquals(block.getStateSize(), c.getStateSizeAfter());
                Assert.assertTrue(block.getStateSize() < STATE, c.toString());
            }
        }
    }

    @Test
    public void aRolledBackSelectiveLayerIsRestoredExactly() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("selective")) {
            Mamba2 block = selectiveModel(model);
            Spy layer = new Spy(CompressibleLayer.of(block, CompressionSettings.defaults(), null));
            ArrayDataset validation = TestTasks.sinusoids(manager, 16, LENGTH, 8, 3);
            // A negative tolerated drop rolls back every reduction, whatever the accuracies.
            LayerCompressor compressor =
                    new LayerCompressor(QUARTER, new Rollback(validation, -1), 1);
            try (Trainer trainer = record(model, manager, block)) {
                StateMaps before = block.getStateMaps();
                Check c =
                        compressor.check(trainer, 1, "mamba", layer, compressor.accuracy(trainer));
                Assert.assertEquals(c.getOutcome(), Outcome.ROLLED_BACK, c.toString());
                Assert.assertEquals(layer.undoable, Boolean.TRUE);
                Assert.assertEquals(block.getStateSize(), STATE);
                StateMaps after = block.getStateMaps();
                Assert.assertTrue(Arrays.deepEquals(after.inputMap(), before.inputMap()));
                Assert.assertTrue(Arrays.deepEquals(after.outputMap(), before.outputMap()));
            }
        }
    }

    /** A trainer of the model, after one training pass recorded in the block's moments. */
    private static Trainer record(Model model, NDManager manager, Mamba2 block) throws Exception {
        Trainer trainer = model.newTrainer(TestTasks.config(0.01f, false));
        trainer.initialize(new Shape(8, LENGTH, 1));
        ArrayDataset data = TestTasks.sinusoids(manager, 8, LENGTH, 8, 2);
        block.getSignalMoments().start();
        for (Batch batch : trainer.iterateDataset(data)) {
            try (Batch b = batch) {
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray out = trainer.forward(b.getData()).singletonOrThrow();
                    collector.backward(out.sum());
                }
                block.getSignalMoments().collectGradient();
            }
        }
        return trainer;
    }

    /** Sets the model to Linear(1 -> 4), Mamba2 of {@link #STATE} states, mean, head. */
    private static Mamba2 selectiveModel(Model model) {
        Engine.getInstance().setRandomSeed(11);
        Mamba2 block = Mamba2.builder().setStateSize(STATE).build();
        model.setBlock(
                new SequentialBlock()
                        .add(Linear.builder().setUnits(4).build())
                        .add(block)
                        .add(LambdaBlock.singleton(x -> x.mean(new int[] {1})))
                        .add(Linear.builder().setUnits(TestTasks.CLASSES).build()));
        return block;
    }

    /** Passes every call on to a layer and remembers whether its truncation was undoable. */
    private static final class Spy implements CompressibleLayer {

        private final CompressibleLayer layer;
        Boolean undoable;

        Spy(CompressibleLayer layer) {
            this.layer = layer;
        }

        @Override
        public SsmBlock getBlock() {
            return layer.getBlock();
        }

        @Override
        public boolean recordsSignals() {
            return layer.recordsSignals();
        }

        @Override
        public String problem(Device live) {
            return layer.problem(live);
        }

        @Override
        public Analysis analyse() {
            Analysis analysis = layer.analyse();
            return new Analysis() {
                @Override
                public StateSpectrum getSpectrum() {
                    return analysis.getSpectrum();
                }

                @Override
                public GramianWeighting getWeighting() {
                    return analysis.getWeighting();
                }

                @Override
                public double[] getLocalHankelSingularValues() {
                    return analysis.getLocalHankelSingularValues();
                }

                @Override
                public String describe() {
                    return analysis.describe();
                }

                @Override
                public Truncation truncate(
                        int order, SelectionMode selection, Random random, boolean asked) {
                    undoable = asked;
                    return analysis.truncate(order, selection, random, asked);
                }
            };
        }
    }
}
