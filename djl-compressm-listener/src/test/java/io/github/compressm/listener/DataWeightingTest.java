package io.github.compressm.listener;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.github.compressm.control.GramianWeighting;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.ssm.DiagonalSsmBlock;
import java.util.List;
import java.util.function.ObjIntConsumer;
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
        CompreSsmListener listener =
                CompreSsmListener.builder()
                        .setTotalSteps(8)
                        .optWarmupFraction(0.5)
                        .optChecks(2)
                        .optGramianWeighting(GramianWeighting.DATA)
                        .build();
        boolean[] recordingAtStep = new boolean[9];
        TrainingListener probe =
                TestTasks.everyStep(
                        (trainer, step) ->
                                recordingAtStep[step] =
                                        first(model).getSignalMoments().isRecording());
        fit(model, 2, listener, probe);
        // Checks at steps 2 and 4; the probe runs after the listener in the same batch.
        Assert.assertTrue(recordingAtStep[1]);
        Assert.assertTrue(recordingAtStep[3]);
        Assert.assertFalse(recordingAtStep[4]);
        Assert.assertFalse(recordingAtStep[8]);
        List<Check> checks = listener.getReport().getChecks();
        Assert.assertEquals(checks.size(), 2, checks.toString());
        for (Check c : checks) {
            Assert.assertNotEquals(c.getOutcome(), Outcome.FAILED, c.toString());
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

    private static DiagonalSsmBlock first(Block model) {
        return SsmBlockFinder.find(model).values().iterator().next();
    }
}
