package io.github.compressm.checkpoint;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * A process that saves checkpoints of one model in a loop until it is killed, for the test of a
 * kill while saving: {@code java CheckpointWriter DIR}. Prints {@code saved N} after each save.
 */
public final class CheckpointWriter {

    /** The hidden width of the saved model: over a megabyte of parameters, so a save takes time. */
    static final int HIDDEN = 1 << 15;

    private CheckpointWriter() {}

    /**
     * Saves checkpoints 1, 2, ... of a model into a directory, forever.
     *
     * @param args the directory
     * @throws Exception if a save fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = CheckpointModels.model("killed", HIDDEN)) {
            CheckpointModels.initialize(model.getBlock(), manager);
            for (int epoch = 1; ; epoch++) {
                Checkpoint.save(model, dir, "killed", epoch);
                System.out.println("saved " + epoch);
                System.out.flush();
            }
        }
    }
}
