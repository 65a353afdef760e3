package io.github.compressm.listener;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.SaveModelTrainingListener;
import ai.djl.training.listener.TrainingListener;
import io.github.compressm.checkpoint.ScratchTest;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.ssm.SsmBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * End-to-end resume: a run checkpointed by epoch with DJL's {@link SaveModelTrainingListener} after
 * its first reductions, loaded into a freshly built graph with a new trainer and a new listener,
 * ends like the uninterrupted run. Six epochs of 8 steps, checks at steps 6 and 12 in a window of
 * 12 steps and, as the layers still shrink, two extra checks at 18 and 24, each keeping a fixed 75%
 * of each layer (so the sizes do not depend on the optimizer's state, which DJL does not save); the
 * run stops after epoch 2 (step 16), with the first extra check pending.
 */
public class ResumeTest {

    private static final Logger LOGGER = LoggerFactory.getLogger(ResumeTest.class);

    private static final int LENGTH = 32;
    private static final int BATCH = 32;
    private static final int SAMPLES = 256;
    private static final int STEPS_PER_EPOCH = SAMPLES / BATCH;
    private static final int EPOCHS = 6;
    private static final int STOP_AFTER = 2;
    private static final int HIDDEN = 8;
    private static final int STATES = 32;
    private static final int LAYERS = 2;

    private Path dir;
    private NDManager manager;
    private ArrayDataset train;
    private Map<String, Integer> uninterruptedSizes;
    private double uninterruptedLoss;
    private Map<String, Integer> sizesAtStop;
    private Map<String, Integer> resumedSizes;
    private double resumedLoss;
    private CompressionReport resumedReport;
    private Map<String, String> resumedProperties;

    @BeforeClass
    public void trainStopAndResume() throws Exception {
        dir = Files.createTempDirectory("compressm-resume");
        manager = NDManager.newBaseManager();
        train = TestTasks.sinusoids(manager, SAMPLES, LENGTH, BATCH, 7);

        Engine.getInstance().setRandomSeed(99);
        try (Model model = Model.newInstance("resume")) {
            model.setBlock(TestTasks.classifier(HIDDEN, STATES, LAYERS));
            TestTasks.LossRecorder losses = new TestTasks.LossRecorder();
            fit(model, EPOCHS, listener(), losses);
            uninterruptedSizes = sizes(model);
            uninterruptedLoss = lastEpochLoss(losses);
        }

        Engine.getInstance().setRandomSeed(99);
        try (Model model = Model.newInstance("resume")) {
            model.setBlock(TestTasks.classifier(HIDDEN, STATES, LAYERS));
            fit(model, STOP_AFTER, listener(), new SaveModelTrainingListener(dir.toString()));
            sizesAtStop = sizes(model);
        }

        // A new process would do exactly this: build the graph, load, new trainer and listener.
        try (Model model = Model.newInstance("resume")) {
            model.setBlock(TestTasks.classifier(HIDDEN, STATES, LAYERS));
            model.load(dir, "resume");
            CompreSsmListener listener = listener();
            TestTasks.LossRecorder losses = new TestTasks.LossRecorder();
            fit(model, EPOCHS - STOP_AFTER, listener, losses);
            resumedSizes = sizes(model);
            resumedLoss = lastEpochLoss(losses);
            resumedReport = listener.getReport();
            resumedProperties = model.getProperties();
        }
        LOGGER.info(
                "uninterrupted {} loss {}; stopped at {}; resumed {} loss {}",
                uninterruptedSizes,
                uninterruptedLoss,
                sizesAtStop,
                resumedSizes,
                resumedLoss);
    }

    @AfterClass(alwaysRun = true)
    public void closeAndDelete() throws IOException {
        if (manager != null) {
            manager.close();
        }
        ScratchTest.deleteTree(dir);
    }

    @Test
    public void theRunStoppedAfterAReduction() {
        sizesAtStop.values().forEach(size -> Assert.assertTrue(size < STATES, sizesAtStop + ""));
        Assert.assertNotEquals(sizesAtStop, uninterruptedSizes, "the stop must precede checks");
    }

    @Test
    public void theResumedRunEndsAtTheUninterruptedRunsSizes() {
        Assert.assertEquals(resumedSizes, uninterruptedSizes);
    }

    @Test
    public void theResumedRunChecksOnlyTheRemainingScheduledSteps() {
        Assert.assertEquals(resumedReport.getTotalSteps(), (long) EPOCHS * STEPS_PER_EPOCH);
        long stop = (long) STOP_AFTER * STEPS_PER_EPOCH;
        for (Check check : resumedReport.getChecks()) {
            Assert.assertTrue(
                    check.getStep() > stop && check.getStep() <= 24,
                    "no check before the stop or after the window: " + check);
        }
        Assert.assertEquals(resumedReport.getChecks().size(), 2 * LAYERS);
        Assert.assertEquals(resumedReport.getInitialStateSizes(), sizesAtStop);
    }

    @Test
    public void theResumedRunLearnsLikeTheUninterruptedOne() {
        // Chance level is ln 4 = 1.39; DJL does not save Adam's moments, so the losses differ a
        // bit.
        Assert.assertTrue(uninterruptedLoss < 1.0, "uninterrupted loss " + uninterruptedLoss);
        Assert.assertTrue(
                Math.abs(resumedLoss - uninterruptedLoss) < 0.25 * uninterruptedLoss + 0.05,
                "resumed " + resumedLoss + " vs uninterrupted " + uninterruptedLoss);
    }

    @Test
    public void theModelCarriesTheProgressOfTheWholeRun() {
        Assert.assertEquals(
                resumedProperties.get(RunProgress.STEPS), "" + EPOCHS * STEPS_PER_EPOCH);
        Assert.assertEquals(resumedProperties.get(RunProgress.CHECKS), "4");
        Assert.assertEquals(
                resumedProperties.get(RunProgress.TOTAL), "" + EPOCHS * STEPS_PER_EPOCH);
        Assert.assertEquals(resumedProperties.get(RunProgress.LAST_CHECK), "24");
    }

    private static CompreSsmListener listener() {
        return CompreSsmListener.builder()
                .setTotalEpochs(EPOCHS)
                .optWarmupFraction(0.25)
                .optChecks(2)
                .optExtraChecks(2)
                .optKeepFraction(0.75)
                .build();
    }

    private void fit(Model model, int epochs, TrainingListener... listeners) throws Exception {
        try (Trainer trainer =
                TestTasks.trainer(model, TestTasks.config(5e-3f, true, listeners), BATCH, LENGTH)) {
            EasyTrain.fit(trainer, epochs, train, null);
        }
    }

    private static Map<String, Integer> sizes(Model model) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Map.Entry<String, SsmBlock> e : SsmBlockFinder.find(model.getBlock()).entrySet()) {
            sizes.put(e.getKey(), e.getValue().getStateSize());
        }
        return sizes;
    }

    private static double lastEpochLoss(TestTasks.LossRecorder losses) {
        int n = losses.losses.size();
        return losses.mean(n - STEPS_PER_EPOCH, n);
    }
}
