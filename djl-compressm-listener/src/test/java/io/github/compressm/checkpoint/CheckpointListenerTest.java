package io.github.compressm.checkpoint;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.Test;

/** {@link CheckpointListener} saves one checkpoint per epoch and continues a resumed numbering. */
public class CheckpointListenerTest extends ScratchTest {

    private static final int HIDDEN = 8;
    private static final int SAMPLES = 16;
    private static final int BATCH = 8;

    public CheckpointListenerTest() {
        super("compressm-checkpoint-listener");
    }

    @Test
    public void everyEpochIsSavedAndAResumedRunContinuesTheNumbering() throws Exception {
        Path ckpt = dir.resolve("run");
        ArrayDataset data =
                new ArrayDataset.Builder()
                        .setData(
                                manager.randomNormal(new Shape(SAMPLES, CheckpointModels.FEATURES)))
                        .optLabels(manager.randomNormal(new Shape(SAMPLES, 4)))
                        .setSampling(BATCH, false)
                        .build();
        try (Model model = CheckpointModels.model("run", HIDDEN)) {
            fit(model, ckpt, 2, data);
        }
        Assert.assertEquals(
                files(ckpt),
                List.of(
                        "run-0001.params",
                        "run-0001.params.sha256",
                        "run-0002.params",
                        "run-0002.params.sha256"));
        try (Model resumed = CheckpointModels.model("run", HIDDEN)) {
            Assert.assertEquals(Checkpoint.load(resumed, ckpt, "run"), 2);
            fit(resumed, ckpt, 1, data);
        }
        Assert.assertTrue(files(ckpt).contains("run-0003.params.sha256"), "" + files(ckpt));
        Assert.assertEquals(files(ckpt).size(), 6, "" + files(ckpt));
    }

    @Test
    public void aDirectoryAndANameAreRequired() {
        for (String name : new String[] {null, ""}) {
            IllegalArgumentException e =
                    Assert.expectThrows(
                            IllegalArgumentException.class,
                            () -> new CheckpointListener(dir, name));
            Assert.assertTrue(e.getMessage().contains("name"), e.getMessage());
        }
        Assert.expectThrows(
                IllegalArgumentException.class, () -> new CheckpointListener(null, "m"));
    }

    private static void fit(Model model, Path ckpt, int epochs, ArrayDataset data)
            throws Exception {
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.l2Loss())
                        .addTrainingListeners(new CheckpointListener(ckpt, "run"));
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(BATCH, CheckpointModels.FEATURES));
            EasyTrain.fit(trainer, epochs, data, null);
        }
    }

    private static List<String> files(Path ckpt) throws IOException {
        try (Stream<Path> files = Files.list(ckpt)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
