package io.github.compressm.listener;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.metric.Metric;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListenerAdapter;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.compressm.checkpoint.ScratchTest;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.ssm.SsmBlock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * End-to-end: {@code EasyTrain.fit} with the listener on a generated classification task. One
 * training run (10 epochs of 16 steps, checks at steps 4, 8, 12 and 16) is shared by every test.
 */
public class CompreSsmListenerTrainingTest {

    private static final Logger LOGGER =
            LoggerFactory.getLogger(CompreSsmListenerTrainingTest.class);

    private static final int LENGTH = 48;
    private static final int BATCH = 32;
    private static final int SAMPLES = 512;
    private static final int EPOCHS = 10;
    private static final int HIDDEN = 8;
    private static final int STATES = 32;
    private static final int LAYERS = 2;
    private static final long STEPS = (long) EPOCHS * SAMPLES / BATCH;
    private static final long LAST_CHECK = 16;

    private Path dir;
    private Path reportPath;
    private NDManager manager;
    private Model model;
    private CompressionReport report;
    private Metrics metrics;
    private final SizeRecorder sizes = new SizeRecorder();
    private final TestTasks.LossRecorder losses = new TestTasks.LossRecorder();
    private final ArrayCounter arrays = new ArrayCounter();

    @BeforeClass
    public void fitWithTheListener() throws Exception {
        Engine.getInstance().setRandomSeed(1234);
        dir = Files.createTempDirectory("compressm-fit");
        reportPath = dir.resolve("reports/compressm.json");
        manager = NDManager.newBaseManager();
        model = Model.newInstance("fit");
        ArrayDataset train = TestTasks.sinusoids(manager, SAMPLES, LENGTH, BATCH, 1);
        ArrayDataset validation = TestTasks.sinusoids(manager, 128, LENGTH, BATCH, 2);
        model.setBlock(TestTasks.classifier(HIDDEN, STATES, LAYERS));
        CompreSsmListener listener =
                CompreSsmListener.builder()
                        .setTotalEpochs(EPOCHS)
                        .optTolerance(0.1)
                        .optReportPath(reportPath)
                        .build();
        try (Trainer trainer =
                TestTasks.trainer(
                        model,
                        TestTasks.config(3e-3f, true, listener, sizes, losses, arrays),
                        BATCH,
                        LENGTH)) {
            trainer.setMetrics(new Metrics());
            EasyTrain.fit(trainer, EPOCHS, train, validation);
            metrics = trainer.getMetrics();
        }
        report = listener.getReport();
        LOGGER.info("{}", report);
        report.getChecks().forEach(c -> LOGGER.info("{}", c));
        LOGGER.info("arrays on the model's manager per step: {}", arrays.perStep);
    }

    @AfterClass(alwaysRun = true)
    public void closeAndDelete() throws IOException {
        if (model != null) {
            model.close();
        }
        if (manager != null) {
            manager.close();
        }
        ScratchTest.deleteTree(dir);
    }

    @Test
    public void reportCoversEveryStepOfBothLayers() {
        Assert.assertEquals(report.getTotalSteps(), STEPS);
        Assert.assertEquals(sizes.perStep.size(), STEPS);
        Assert.assertEquals(report.getInitialStateSizes().size(), LAYERS, report.toString());
    }

    @Test
    public void checksRunEveryFourStepsInsideTheWarmupWindowOnly() {
        Assert.assertEquals(report.getCheckSteps(), new long[] {4, 8, 12, LAST_CHECK});
        for (Check c : report.getChecks()) {
            Assert.assertTrue(c.getStep() <= LAST_CHECK, c.toString());
        }
    }

    @Test
    public void sizesNeverGrowAndChangeOnlyAtCheckSteps() {
        // Sizes never grow, change only at check steps, and not at all after the window.
        for (int s = 1; s < sizes.perStep.size(); s++) {
            long step = s + 1;
            Map<String, Integer> previous = sizes.perStep.get(s - 1);
            Map<String, Integer> now = sizes.perStep.get(s);
            for (String layer : now.keySet()) {
                Assert.assertTrue(now.get(layer) <= previous.get(layer), "grew at " + step);
                if (!now.get(layer).equals(previous.get(layer))) {
                    Assert.assertTrue(
                            step <= LAST_CHECK && step % 4 == 0,
                            layer + " changed at step " + step);
                }
            }
        }
    }

    @Test
    public void everyCheckAnalysesTwoHankelSingularValuesPerComplexState() {
        for (Check c : report.getChecks()) {
            Assert.assertEquals(
                    c.getHankelSingularValues().length, 2 * c.getStateSizeBefore(), c.toString());
        }
    }

    @Test
    public void reductionsCutMoreThanFivePercentAndKeepTheToleratedEnergy() {
        for (Check c : report.getChecks()) {
            if (c.getOutcome() == Outcome.REDUCED) {
                Assert.assertTrue(
                        c.getStateSizeAfter() < 0.95 * c.getStateSizeBefore(), c.toString());
                // Tolerance 0.1: at least 90 % of the Hankel energy is kept.
                Assert.assertTrue(c.getEnergyKept() >= 0.9 - 1e-12, c.toString());
            }
        }
    }

    @Test
    public void everyLayerEndsSmallerAndTheReportHoldsTheFinalSizes() {
        Assert.assertFalse(
                report.getReductions().isEmpty(), "nothing was reduced: " + report.getChecks());
        Map<String, Integer> last = lastSizes();
        Assert.assertEquals(last, report.getStateSizes());
        for (Map.Entry<String, Integer> e : last.entrySet()) {
            Assert.assertTrue(e.getValue() < STATES, e.getKey() + " did not shrink");
        }
    }

    @Test
    public void lossRecoversAfterTheLastReduction() {
        // Training goes on and the loss recovers after the last reduction.
        int lastReduction = lastReductionStep();
        double justAfter = losses.mean(lastReduction, lastReduction + 4);
        double finalEpoch = losses.mean(losses.losses.size() - 16, losses.losses.size());
        double firstEpoch = losses.mean(0, 16);
        Assert.assertTrue(
                finalEpoch < 0.8 * justAfter && finalEpoch < 0.5 * firstEpoch,
                "loss first epoch "
                        + firstEpoch
                        + ", after last reduction "
                        + justAfter
                        + ", final epoch "
                        + finalEpoch);
    }

    @Test
    public void noStepLeavesArraysOnTheModelManagerAfterTheLastReduction() {
        // The count on the model's manager (parameters, gradients, optimizer state) is flat from
        // the second step after the last reduction (the first creates Adam's state for new
        // parameters).
        int lastReduction = lastReductionStep();
        List<Integer> counts = arrays.perStep;
        Assert.assertEquals(
                counts.get(counts.size() - 1),
                counts.get(lastReduction + 1),
                "arrays left on the model's manager per step after the last reduction: " + counts);
    }

    @Test
    public void jsonReportHoldsTheSameHistory() throws IOException {
        JsonObject json =
                JsonParser.parseString(Files.readString(reportPath, StandardCharsets.UTF_8))
                        .getAsJsonObject();
        Assert.assertEquals(json.getAsJsonArray("checks").size(), report.getChecks().size());
        Assert.assertEquals(
                json.getAsJsonObject("stateSizes").entrySet().size(), lastSizes().size());
    }

    @Test
    public void stateSizeMetricEndsAtEveryLayersFinalSize() {
        List<Metric> values = metrics.getMetric(CompreSsmListener.STATE_SIZE_METRIC);
        Assert.assertFalse(values.isEmpty());
        for (Map.Entry<String, Integer> e : report.getStateSizes().entrySet()) {
            Metric latest = null;
            for (Metric m : values) {
                if (m.getDimensions()[0].getValue().equals(e.getKey())) {
                    latest = m;
                }
            }
            Assert.assertNotNull(latest, e.getKey());
            Assert.assertEquals(latest.getValue().intValue(), (int) e.getValue(), e.getKey());
        }
    }

    @Test
    public void compressedModelLoadsIntoAFreshGraphWithTheSameSizesAndOutputs() throws Exception {
        // Saved after compression, loaded into a freshly built graph: same sizes, same outputs.
        Map<String, Integer> last = lastSizes();
        NDArray probe = manager.randomNormal(new Shape(3, LENGTH, 1));
        float[] expected = TestTasks.infer(model.getBlock(), probe).toFloatArray();
        model.save(dir, "compressed");
        try (Model loaded = Model.newInstance("fit")) {
            Block fresh = TestTasks.classifier(HIDDEN, STATES, LAYERS);
            loaded.setBlock(fresh);
            loaded.load(dir, "compressed");
            Map<String, SsmBlock> found = SsmBlockFinder.find(fresh);
            for (Map.Entry<String, Integer> e : last.entrySet()) {
                Assert.assertEquals(
                        found.get(e.getKey()).getStateSize(), (int) e.getValue(), e.getKey());
            }
            NDArray again = probe.toDevice(loaded.getNDManager().getDevice(), true);
            Assert.assertEquals(TestTasks.infer(fresh, again).toFloatArray(), expected);
        }
    }

    private Map<String, Integer> lastSizes() {
        return sizes.perStep.get(sizes.perStep.size() - 1);
    }

    private int lastReductionStep() {
        List<Check> reductions = report.getReductions();
        Assert.assertFalse(reductions.isEmpty(), "nothing was reduced: " + report.getChecks());
        return (int) reductions.get(reductions.size() - 1).getStep();
    }

    /** Records the number of arrays on the model's manager and its children after each step. */
    static final class ArrayCounter extends TrainingListenerAdapter {

        final List<Integer> perStep = new ArrayList<>();

        /** {@inheritDoc} */
        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            perStep.add(
                    ((BaseNDManager) trainer.getModel().getNDManager()).getManagedArrays().size());
        }
    }

    /** Records every layer's state size after each training batch (after the listener ran). */
    static final class SizeRecorder extends TrainingListenerAdapter {

        final List<Map<String, Integer>> perStep = new ArrayList<>();

        /** {@inheritDoc} */
        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            Map<String, Integer> sizes = new LinkedHashMap<>();
            SsmBlockFinder.find(trainer.getModel().getBlock())
                    .forEach((k, v) -> sizes.put(k, v.getStateSize()));
            perStep.add(sizes);
        }
    }
}
