package io.github.compressm.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Damaged, interrupted and killed saves: what {@link Checkpoint#load} makes of each. */
public class CheckpointTest extends ScratchTest {

    private static final int HIDDEN = 16;

    public CheckpointTest() {
        super("compressm-checkpoint");
    }

    @Test
    public void theNewestCheckpointLoadsWithItsParametersAndEpoch() throws Exception {
        Path ckpt = dir.resolve("newest");
        float[] older;
        float[] newer;
        try (Model first = CheckpointModels.model("m", HIDDEN);
                Model second = CheckpointModels.model("m", HIDDEN)) {
            CheckpointModels.initialize(first.getBlock(), manager);
            CheckpointModels.initialize(second.getBlock(), manager);
            older = CheckpointModels.outputs(first.getBlock(), manager);
            newer = CheckpointModels.outputs(second.getBlock(), manager);
            Checkpoint.save(first, ckpt, "m", 1);
            Path file = Checkpoint.save(second, ckpt, "m", 12);
            Assert.assertEquals(file, ckpt.resolve("m-0012.params"));
        }
        Assert.assertNotEquals(older, newer, "two random initialisations");
        try (Model loaded = CheckpointModels.model("m", HIDDEN)) {
            Assert.assertEquals(Checkpoint.load(loaded, ckpt, "m"), 12);
            Assert.assertEquals(CheckpointModels.outputs(loaded.getBlock(), manager), newer);
            Assert.assertEquals(loaded.getProperty("Epoch"), "12");
        }
        try (Model loaded = CheckpointModels.model("m", HIDDEN)) {
            Assert.expectThrows(
                    FileNotFoundException.class,
                    () -> Checkpoint.load(loaded, dir.resolve("empty"), "m"));
        }
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
        try (Model model = CheckpointModels.model("m", HIDDEN)) {
            CheckpointModels.initialize(model.getBlock(), manager);
            float[] expected = CheckpointModels.outputs(model.getBlock(), manager);
            Checkpoint.save(model, ckpt, "m", 1);
            // A save that dies half-way (disk full, or the process killed while writing).
            Block failing = failingSave(model.getBlock());
            CheckpointModels.initialize(failing, manager);
            model.setBlock(failing);
            Assert.expectThrows(IOException.class, () -> Checkpoint.save(model, ckpt, "m", 2));
            // What a kill between the two final moves leaves: the file without its checksum.
            Files.copy(ckpt.resolve("m-0001.params"), ckpt.resolve("m-0003.params"));
            try (Stream<Path> files = Files.list(ckpt)) {
                Assert.assertEquals(
                        files.map(p -> p.getFileName().toString()).sorted().toList(),
                        List.of("m-0001.params", "m-0001.params.sha256", "m-0003.params"));
            }
            try (Model loaded = CheckpointModels.model("m", HIDDEN)) {
                Assert.assertEquals(Checkpoint.load(loaded, ckpt, "m"), 1);
                Assert.assertEquals(CheckpointModels.outputs(loaded.getBlock(), manager), expected);
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
        try (Model loaded = CheckpointModels.model("killed", CheckpointWriter.HIDDEN)) {
            Assert.assertTrue(Checkpoint.load(loaded, ckpt, "killed") >= 3);
        }
    }

    /** Saves epochs 1 and 2 of an initialised model; returns epoch 2's file. */
    private Path saveTwoEpochs(Path ckpt) throws IOException {
        try (Model model = CheckpointModels.model("m", HIDDEN)) {
            CheckpointModels.initialize(model.getBlock(), manager);
            Checkpoint.save(model, ckpt, "m", 1);
            return Checkpoint.save(model, ckpt, "m", 2);
        }
    }

    private static void assertLoadFailsNaming(Path ckpt, Path file) {
        try (Model loaded = CheckpointModels.model("m", HIDDEN)) {
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
}
