package io.github.compressm.listener;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Faults end to end: concurrent runs, a shared listener, the optimizer without the fresh-parameter
 * fix, and damaged or interrupted checkpoints.
 */
public class FaultsTest {

    private static final int LENGTH = 24;
    private static final int BATCH = 16;
    private static final int SAMPLES = 64;
    private static final int STEPS = SAMPLES / BATCH;

    private Path dir;
    private NDManager manager;

    @BeforeClass
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("compressm-faults");
        manager = NDManager.newBaseManager();
    }

    @AfterClass(alwaysRun = true)
    public void tearDown() throws IOException {
        if (manager != null) {
            manager.close();
        }
        TestTasks.deleteTree(dir);
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
    public void aTruncatedCheckpointIsAnErrorNamingTheFile() throws Exception {
        Path ckpt = dir.resolve("truncated");
        Path file = saveTwoEpochs(ckpt);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertLoadFailsNaming(ckpt, file);
    }

    @Test
    public void aCorruptedCheckpointIsAnErrorNamingTheFile() throws Exception {
        Path ckpt = dir.resolve("corrupted");
        Path file = saveTwoEpochs(ckpt);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 9] ^= 0x55; // inside the last parameter's values
        Files.write(file, bytes);
        assertLoadFailsNaming(ckpt, file);
    }

    @Test
    public void anInterruptedSaveLeavesThePreviousCheckpointLoadable() throws Exception {
        Path ckpt = dir.resolve("interrupted");
        try (Model model = model(8)) {
            initialize(model.getBlock());
            float[] expected = outputs(model.getBlock());
            Checkpoint.save(model, ckpt, "m", 1);
            // A save that dies half-way (disk full, or the process killed while writing).
            Block failing = failingSave(model.getBlock());
            initialize(failing);
            model.setBlock(failing);
            Assert.expectThrows(IOException.class, () -> Checkpoint.save(model, ckpt, "m", 2));
            // What a kill between the two final moves leaves: the file without its checksum.
            Files.copy(ckpt.resolve("m-0001.params"), ckpt.resolve("m-0003.params"));
            try (Stream<Path> files = Files.list(ckpt)) {
                Assert.assertEquals(
                        files.map(p -> p.getFileName().toString()).sorted().toList(),
                        List.of("m-0001.params", "m-0001.params.sha256", "m-0003.params"));
            }
            try (Model loaded = model(8)) {
                Assert.assertEquals(Checkpoint.load(loaded, ckpt, "m"), 1);
                Assert.assertEquals(outputs(loaded.getBlock()), expected);
            }
        }
    }

    @Test
    public void aProcessKilledWhileSavingLeavesALoadableCheckpoint() throws Exception {
        Path ckpt = dir.resolve("killed");
        Process writer =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "-Dai.djl.default_engine=PyTorch",
                                "-cp",
                                System.getProperty("java.class.path"),
                                CheckpointWriter.class.getName(),
                                ckpt.toString())
                        .redirectErrorStream(true)
                        .start();
        int saved = 0;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("saved ")) {
                    saved = Integer.parseInt(line.substring(6));
                    if (saved == 3) {
                        // The writer is inside its fourth save, or about to start it.
                        writer.destroyForcibly();
                        break;
                    }
                }
            }
        } finally {
            writer.destroyForcibly();
            Assert.assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "the writer did not stop");
        }
        Assert.assertEquals(saved, 3, "the writer never saved three checkpoints");
        try (Model loaded = Model.newInstance("killed")) {
            loaded.setBlock(TestTasks.classifier(64, 256, 2));
            Assert.assertTrue(Checkpoint.load(loaded, ckpt, "killed") >= 3);
        }
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

    private void initialize(Block block) {
        block.initialize(manager, DataType.FLOAT32, new Shape(2, LENGTH, 1));
    }

    private float[] outputs(Block block) {
        NDArray probe = manager.ones(new Shape(2, LENGTH, 1));
        return TestTasks.infer(block, probe).toFloatArray();
    }

    /** Saves epochs 1 and 2 of an initialised model; returns epoch 2's file. */
    private Path saveTwoEpochs(Path ckpt) throws IOException {
        try (Model model = model(8)) {
            initialize(model.getBlock());
            Checkpoint.save(model, ckpt, "m", 1);
            return Checkpoint.save(model, ckpt, "m", 2);
        }
    }

    private static void assertLoadFailsNaming(Path ckpt, Path file) {
        try (Model loaded = model(8)) {
            MalformedModelException e =
                    Assert.expectThrows(
                            MalformedModelException.class,
                            () -> Checkpoint.load(loaded, ckpt, "m"));
            Assert.assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            Assert.assertTrue(e.getMessage().contains("truncated or corrupted"), e.getMessage());
        }
    }

    /** A block that saves like {@code inner} but fails half-way through its parameters. */
    private static Block failingSave(Block inner) {
        return new SequentialBlock() {
            {
                add(inner);
            }

            @Override
            public void saveParameters(DataOutputStream os) throws IOException {
                os.write(new byte[64]);
                throw new IOException("No space left on device");
            }
        };
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
