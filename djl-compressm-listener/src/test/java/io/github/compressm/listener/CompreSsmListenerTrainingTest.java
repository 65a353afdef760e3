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
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.ssm.DiagonalSsmBlock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.Test;

/** End-to-end: {@code EasyTrain.fit} with the listener on a generated classification task. */
public class CompreSsmListenerTrainingTest {

    private static final int LENGTH = 48;
    private static final int BATCH = 32;
    private static final int SAMPLES = 512;
    private static final int EPOCHS = 10;

    @Test
    public void fitShrinksInsideTheWindowRecoversAndSavesCompressedSizes() throws Exception {
        Engine.getInstance().setRandomSeed(1234);
        Path dir = Files.createTempDirectory("compressm-fit");
        Path reportPath = dir.resolve("reports/compressm.json");
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("fit")) {
            ArrayDataset train = TestTasks.sinusoids(manager, SAMPLES, LENGTH, BATCH, 1);
            ArrayDataset validation = TestTasks.sinusoids(manager, 128, LENGTH, BATCH, 2);
            model.setBlock(TestTasks.classifier(8, 32, 2));
            CompreSsmListener listener =
                    CompreSsmListener.builder()
                            .setTotalEpochs(EPOCHS)
                            .optTolerance(0.1)
                            .optReportPath(reportPath)
                            .build();
            SizeRecorder sizes = new SizeRecorder();
            TestTasks.LossRecorder losses = new TestTasks.LossRecorder();
            ArrayCounter arrays = new ArrayCounter();
            try (Trainer trainer =
                    TestTasks.trainer(
                            model,
                            TestTasks.config(3e-3f, true, listener, sizes, losses, arrays),
                            BATCH,
                            LENGTH)) {
                trainer.setMetrics(new Metrics());
                EasyTrain.fit(trainer, EPOCHS, train, validation);
                checkMetrics(trainer.getMetrics(), listener.getReport());
            }
            CompressionReport report = listener.getReport();
            long steps = (long) EPOCHS * SAMPLES / BATCH;
            Assert.assertEquals(report.getTotalSteps(), steps);
            Assert.assertEquals(report.getCheckSteps(), new long[] {4, 8, 12, 16});
            Assert.assertEquals(sizes.perStep.size(), steps);
            Assert.assertEquals(report.getInitialStateSizes().size(), 2, report.toString());
            System.out.println(report);
            report.getChecks().forEach(System.out::println);

            // Sizes never grow, change only at check steps, and not at all after the window.
            List<Check> reductions = report.getReductions();
            Assert.assertFalse(reductions.isEmpty(), "nothing was reduced: " + report.getChecks());
            for (int s = 1; s < sizes.perStep.size(); s++) {
                long step = s + 1;
                Map<String, Integer> previous = sizes.perStep.get(s - 1);
                Map<String, Integer> now = sizes.perStep.get(s);
                for (String layer : now.keySet()) {
                    Assert.assertTrue(now.get(layer) <= previous.get(layer), "grew at " + step);
                    if (!now.get(layer).equals(previous.get(layer))) {
                        Assert.assertTrue(
                                step <= 16 && step % 4 == 0, layer + " changed at step " + step);
                    }
                }
            }
            for (Check c : report.getChecks()) {
                Assert.assertTrue(c.getStep() <= 16, c.toString());
                Assert.assertEquals(c.getHankelSingularValues().length, 2 * c.getStateSizeBefore());
                if (c.getOutcome() == Outcome.REDUCED) {
                    Assert.assertTrue(c.getStateSizeAfter() < 0.95 * c.getStateSizeBefore());
                    Assert.assertTrue(c.getEnergyKept() >= 0.9 - 1e-12, c.toString());
                }
            }
            Map<String, Integer> last = sizes.perStep.get(sizes.perStep.size() - 1);
            Assert.assertEquals(last, report.getStateSizes());
            for (Map.Entry<String, Integer> e : last.entrySet()) {
                Assert.assertTrue(e.getValue() < 32, e.getKey() + " did not shrink");
            }

            // Training goes on and the loss recovers after the last reduction.
            int lastReduction = (int) reductions.get(reductions.size() - 1).getStep();
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

            // No step leaves native arrays behind once the reductions are over: the count on the
            // model's manager (parameters, gradients, optimizer state) is flat from the second
            // step after the last reduction (the first creates Adam's state for new parameters).
            List<Integer> counts = arrays.perStep;
            System.out.println("arrays on the model's manager per step: " + counts);
            Assert.assertEquals(
                    counts.get(counts.size() - 1),
                    counts.get(lastReduction + 1),
                    "arrays left on the model's manager per step after the last reduction");

            // The JSON report holds the same history.
            JsonObject json =
                    JsonParser.parseString(Files.readString(reportPath, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            Assert.assertEquals(json.getAsJsonArray("checks").size(), report.getChecks().size());
            Assert.assertEquals(json.getAsJsonObject("stateSizes").entrySet().size(), last.size());

            // Saved after compression, loaded into a freshly built graph: same sizes, same outputs.
            NDArray probe = manager.randomNormal(new Shape(3, LENGTH, 1));
            float[] expected = TestTasks.infer(model.getBlock(), probe).toFloatArray();
            model.save(dir, "compressed");
            try (Model loaded = Model.newInstance("fit")) {
                Block fresh = TestTasks.classifier(8, 32, 2);
                loaded.setBlock(fresh);
                loaded.load(dir, "compressed");
                Map<String, DiagonalSsmBlock> found = SsmBlockFinder.find(fresh);
                for (Map.Entry<String, Integer> e : last.entrySet()) {
                    Assert.assertEquals(found.get(e.getKey()).getStateSize(), (int) e.getValue());
                }
                NDArray again = probe.toDevice(loaded.getNDManager().getDevice(), true);
                Assert.assertEquals(TestTasks.infer(fresh, again).toFloatArray(), expected);
            }
        }
    }

    private static void checkMetrics(Metrics metrics, CompressionReport report) {
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
            Assert.assertEquals(latest.getValue().intValue(), (int) e.getValue());
        }
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
            Map<String, Integer> sizes = new java.util.LinkedHashMap<>();
            SsmBlockFinder.find(trainer.getModel().getBlock())
                    .forEach((k, v) -> sizes.put(k, v.getStateSize()));
            perStep.add(sizes);
        }
    }
}
