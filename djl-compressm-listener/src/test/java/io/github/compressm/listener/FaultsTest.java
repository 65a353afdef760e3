package io.github.compressm.listener;

import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.compressm.checkpoint.Checkpoint;
import io.github.compressm.checkpoint.CheckpointListener;
import io.github.compressm.checkpoint.ScratchTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * Faults end to end: concurrent runs, a shared listener, the optimizer without the fresh-parameter
 * fix, and a run's progress carried through its checkpoints (damaged and interrupted checkpoints
 * are tested with the checkpoint package).
 */
public class FaultsTest extends ScratchTest {

    private static final int LENGTH = 24;
    private static final int BATCH = 16;
    private static final int SAMPLES = 64;
    private static final int STEPS = SAMPLES / BATCH;

    public FaultsTest() {
        super("compressm-faults");
    }

    @Test
    public void twoModelsTrainAtOnceWithoutSharingState() throws Exception {
        // DJL's PyTorch engine allows one gradient collector per JVM at a time, so two trainers
        // live at once and take turns, epoch by epoch. Different sizes, so one run's state leaking
        // into the other would show in the sizes.
        CompreSsmListener first = halving();
        CompreSsmListener second = halving();
        try (Model a = model(32);
                Model b = model(20);
                Trainer ta = TestTasks.trainer(a, config(true, first), BATCH, LENGTH);
                Trainer tb = TestTasks.trainer(b, config(true, second), BATCH, LENGTH)) {
            ArrayDataset data = TestTasks.sinusoids(manager, SAMPLES, LENGTH, BATCH, 9);
            for (int epoch = 0; epoch < 4; epoch++) {
                EasyTrain.fit(ta, 1, data, null);
                EasyTrain.fit(tb, 1, data, null);
            }
            Assert.assertEquals(a.getProperty(RunProgress.STEPS), "" + 4 * STEPS);
            Assert.assertEquals(b.getProperty(RunProgress.STEPS), "" + 4 * STEPS);
        }
        assertHalved(first.getReport(), 32);
        assertHalved(second.getReport(), 20);
    }

    @Test
    public void aListenerServesOneTrainerAtATime() {
        CompreSsmListener listener = halving();
        try (Model first = model(16);
                Model second = model(16)) {
            try (Trainer trainer =
                    TestTasks.trainer(first, config(true, listener), BATCH, LENGTH)) {
                IllegalStateException e =
                        Assert.expectThrows(
                                IllegalStateException.class,
                                () -> second.newTrainer(config(true, listener)));
                Assert.assertTrue(e.getMessage().contains("its own"), e.getMessage());
                Assert.assertNotNull(trainer);
            }
            // Once the first trainer is closed the listener may serve the next one.
            second.newTrainer(config(true, listener)).close();
        }
    }

    @Test
    public void theOptimizerAuditNamesTheFix() {
        try (Model model = model(8)) {
            assertAudit(model, config(false), "Optimizer.adam().optLearningRateTracker(");
            assertAudit(model, config(true), null);
            assertAudit(model, withOptimizer(Optimizer.adamW().build()), "Optimizer.adamW()");
            assertAudit(
                    model,
                    withOptimizer(
                            Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build()),
                    null);
        }
    }

    @Test
    public void aReductionUnderPlainAdamWarnsOnce() throws Exception {
        String log = captureStandardError(() -> fit(16, config(false, halving(2))));
        long warnings = log.lines().filter(l -> l.contains("FreshParameterTracker.wrap")).count();
        Assert.assertEquals(warnings, 1, log);
        String quiet = captureStandardError(() -> fit(16, config(true, halving(2))));
        Assert.assertFalse(quiet.contains("FreshParameterTracker.wrap"), quiet);
    }

    @Test
    public void theCheckpointListenerSavesEveryEpochAndCarriesTheProgress() throws Exception {
        Path ckpt = dir.resolve("listener");
        try (Model model = model(16)) {
            ArrayDataset data = TestTasks.sinusoids(manager, SAMPLES, LENGTH, BATCH, 3);
            CompreSsmListener listener = halving();
            try (Trainer trainer =
                    TestTasks.trainer(
                            model,
                            config(true, listener, new CheckpointListener(ckpt, "run")),
                            BATCH,
                            LENGTH)) {
                EasyTrain.fit(trainer, 2, data, null);
            }
            try (Model loaded = model(16)) {
                Assert.assertEquals(Checkpoint.load(loaded, ckpt, "run"), 2);
                Assert.assertEquals(loaded.getProperty(RunProgress.STEPS), "" + 2 * STEPS);
                Assert.assertTrue(stateSize(model) < 16, "the run reduced the layer");
                Assert.assertEquals(stateSize(loaded), stateSize(model));
            }
        }
    }

    private static int stateSize(Model model) {
        return SsmBlockFinder.find(model.getBlock()).values().iterator().next().getStateSize();
    }

    private static void assertHalved(CompressionReport report, int states) {
        Assert.assertEquals(report.getInitialStateSizes().values().iterator().next(), states);
        // Half the real order: n/2 states if every kept eigenvalue is complex, more if some are
        // real.
        int size = report.getStateSizes().values().iterator().next();
        Assert.assertTrue(size >= states / 2 && size < states * 3 / 4, "" + report);
        Assert.assertEquals(report.getChecks().size(), 1, "" + report);
    }

    /** Halves the layer once, at step 4 of 16. */
    private static CompreSsmListener halving() {
        return halving(1);
    }

    private static CompreSsmListener halving(int checks) {
        return CompreSsmListener.builder()
                .setTotalSteps(4L * STEPS)
                .optWarmupFraction(checks == 1 ? 0.25 : 0.5)
                .optChecks(checks)
                .optKeepFraction(0.5)
                .build();
    }

    private void fit(int states, DefaultTrainingConfig config) throws Exception {
        try (Model model = model(states)) {
            ArrayDataset data = TestTasks.sinusoids(manager, SAMPLES, LENGTH, BATCH, 5);
            try (Trainer trainer = TestTasks.trainer(model, config, BATCH, LENGTH)) {
                EasyTrain.fit(trainer, 4, data, null);
            }
        }
    }

    private static DefaultTrainingConfig config(boolean freshFix, TrainingListener... listeners) {
        return TestTasks.config(3e-3f, freshFix, listeners);
    }

    private static DefaultTrainingConfig withOptimizer(Optimizer optimizer) {
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer);
    }

    private static void assertAudit(Model model, DefaultTrainingConfig config, String expected) {
        try (Trainer trainer = model.newTrainer(config)) {
            String problem = OptimizerAudit.problem(trainer);
            if (expected == null) {
                Assert.assertNull(problem);
            } else {
                Assert.assertNotNull(problem, "no problem found, expected " + expected);
                Assert.assertTrue(problem.contains(expected), problem);
            }
        }
    }

    private static Model model(int states) {
        Model model = Model.newInstance("faults");
        model.setBlock(TestTasks.classifier(4, states, 1));
        return model;
    }

    private static String captureStandardError(ThrowingRunnable action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text.lines().collect(Collectors.joining("\n"));
    }

    /** An action that may throw. */
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
