package io.github.compressm.listener;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.listener.TrainingListener;
import io.github.compressm.control.GramianWeighting;
import io.github.compressm.control.SignalWeights;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.SignalMoments;
import io.github.compressm.ssm.SignalRecording;
import io.github.compressm.ssm.SsmBlock;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/** End-to-end: data-aware Gramians under {@code EasyTrain.fit}. */
public class DataWeightingTest {

    private static final int LENGTH = 32;
    private static final int BATCH = 16;

    @Test
    public void dataWeightingCutsStatesTheNetworkDoesNotUse() throws Exception {
        // A single-channel signal through a 16-channel layer: most input directions are unused.
        Check local = onlyCheck(GramianWeighting.NONE);
        Check data = onlyCheck(GramianWeighting.DATA);

        Assert.assertEquals(local.getWeighting(), GramianWeighting.NONE);
        Assert.assertEquals(local.getLocalHankelSingularValues().length, 0);
        Assert.assertEquals(data.getWeighting(), GramianWeighting.DATA);
        // Same seeds, same training up to float round-off: the same layer-local spectrum.
        double[] expected = local.getHankelSingularValues();
        double[] actual = data.getLocalHankelSingularValues();
        Assert.assertEquals(actual.length, expected.length);
        for (int i = 0; i < expected.length; i++) {
            Assert.assertEquals(actual[i], expected[i], 1e-5 * expected[0], "sigma " + i);
        }
        Assert.assertTrue(data.getMessage().contains("data-weighted Gramians"), data.getMessage());
        Assert.assertEquals(data.getOutcome(), Outcome.REDUCED, data.toString());
        Assert.assertTrue(
                data.getKeptOrder() < local.getKeptOrder(),
                "data-aware order " + data.getKeptOrder() + " vs " + local.getKeptOrder());
        Assert.assertTrue(data.getStateSizeAfter() < local.getStateSizeAfter(), data + " " + local);
    }

    @Test
    public void recordingStopsAfterTheLastCheck() throws Exception {
        Block model = TestTasks.classifier(16, 16, 1);
        CompreSsmListener listener = dataListener(8, 0.5, 2);
        boolean[] recordingAtStep = recordingAfterEachStep(model, listener, 8);
        // Checks at steps 2 and 4; the probe runs after the listener in the same batch.
        Assert.assertTrue(recordingAtStep[1]);
        Assert.assertTrue(recordingAtStep[3]);
        Assert.assertFalse(recordingAtStep[4]);
        Assert.assertFalse(recordingAtStep[8]);
        Assert.assertEquals(listener.getReport().getChecks().size(), 2);
    }

    @Test
    public void recordsEveryOtherBatchWhenChecksAreThirtyTwoStepsApart() throws Exception {
        Block model = TestTasks.classifier(16, 16, 1);
        boolean[] nextRecorded = recordingAfterEachStep(model, dataListener(32, 1, 1), 32);
        // One check at step 32: steps 32, 30, ..., 2 are recorded (16 batches). The probe runs
        // after the listener, so it sees whether the following step is recorded.
        for (int step = 1; step < 32; step++) {
            Assert.assertEquals(nextRecorded[step], step % 2 == 1, "step " + (step + 1));
        }
        Assert.assertFalse(nextRecorded[32], "after the last check");
    }

    @Test
    public void momentsOfNormalisedInputsGiveWeights() {
        // A layer norm's outputs sum to zero over the features: a singular input moment, which a
        // float32 sum over many rows used to make indefinite.
        try (NDManager manager = NDManager.newBaseManager()) {
            Lru lru = Lru.builder().setStateSize(4).build();
            // Like a one-pixel encoder: two directions, a large offset, then normalised.
            NDArray pixel = manager.randomUniform(0, 1, new Shape(50, 784, 1));
            NDArray raw =
                    pixel.mul(manager.randomNormal(new Shape(1, 1, 8)))
                            .add(manager.randomNormal(new Shape(1, 1, 8)).mul(5));
            NDArray input = raw.sub(raw.mean(new int[] {2}, true));
            lru.initialize(manager, DataType.FLOAT32, input.getShape());
            SignalRecording recorder = lru.getSignalMoments();
            recorder.start();
            for (int batch = 0; batch < 15; batch++) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray y =
                            lru.forward(new ParameterStore(manager, false), new NDList(input), true)
                                    .head();
                    collector.backward(y.mul(y).sum());
                }
                recorder.collectGradient();
            }
            SignalMoments moments = recorder.takeMoments();
            SignalWeights weights = SignalWeights.of(moments.getSignal(), moments.getGradient());
            Assert.assertTrue(weights.getInputRidge() > 0);
            Assert.assertEquals(
                    weights.weigh(lru.getRealization()).getStateSize(), lru.getStateSize());
        }
    }

    private static Check onlyCheck(GramianWeighting weighting) throws Exception {
        CompreSsmListener listener =
                CompreSsmListener.builder()
                        .setTotalSteps(16)
                        .optWarmupFraction(0.5)
                        .optChecks(1)
                        .optTolerance(0.05)
                        .optGramianWeighting(weighting)
                        .build();
        fit(TestTasks.classifier(16, 16, 1), 4, listener);
        List<Check> checks = listener.getReport().getChecks();
        Assert.assertEquals(checks.size(), 1, checks.toString());
        return checks.get(0);
    }

    private static void fit(Block block, int epochs, TrainingListener... listeners)
            throws Exception {
        TestTasks.fitSinusoids(block, epochs, 4 * BATCH, LENGTH, BATCH, 7, 9, listeners);
    }

    private static CompreSsmListener dataListener(long steps, double warmup, int checks) {
        return CompreSsmListener.builder()
                .setTotalSteps(steps)
                .optWarmupFraction(warmup)
                .optChecks(checks)
                .optGramianWeighting(GramianWeighting.DATA)
                .build();
    }

    /**
     * Trains for {@code steps} steps (4 per epoch) and returns, for each step from 1, whether the
     * first layer records once the listener has handled that step; no check may fail.
     */
    private static boolean[] recordingAfterEachStep(
            Block model, CompreSsmListener listener, int steps) throws Exception {
        boolean[] recording = new boolean[steps + 1];
        TrainingListener probe =
                TestTasks.everyStep(
                        (trainer, step) ->
                                recording[step] = first(model).getSignalMoments().isRecording());
        fit(model, steps / 4, listener, probe);
        for (Check c : listener.getReport().getChecks()) {
            Assert.assertNotEquals(c.getOutcome(), Outcome.FAILED, c.toString());
        }
        return recording;
    }

    private static SsmBlock first(Block model) {
        return SsmBlockFinder.find(model).values().iterator().next();
    }
}
