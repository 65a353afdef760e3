package io.github.compressm.listener;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;

/**
 * A process that saves checkpoints of one model in a loop until it is killed, for the test of a
 * kill while saving: {@code java CheckpointWriter DIR}. Prints {@code saved N} after each save.
 */
public final class CheckpointWriter {

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
                Model model = Model.newInstance("killed")) {
            model.setBlock(TestTasks.classifier(64, 256, 2));
            model.getBlock().initialize(manager, DataType.FLOAT32, new Shape(1, 8, 1));
            for (int epoch = 1; ; epoch++) {
                Checkpoint.save(model, dir, "killed", epoch);
                System.out.println("saved " + epoch);
                System.out.flush();
            }
        }
    }
}
