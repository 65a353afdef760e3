package io.github.compressm.checkpoint;

import ai.djl.Model;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the model after every epoch with {@link Checkpoint#save}: the crash-safe counterpart of
 * DJL's {@code SaveModelTrainingListener}. Epochs are numbered from 1 and continue the number a
 * loaded model carries (its {@code Epoch} property), so a resumed run does not overwrite the
 * checkpoints of the run it resumes. A failed save is logged and training goes on; the previous
 * checkpoints stay intact.
 *
 * <pre>
 * config.addTrainingListeners(new CheckpointListener(Paths.get("build/model"), "char-lm"));
 * </pre>
 */
public class CheckpointListener extends TrainingListenerAdapter {

    private static final Logger logger = LoggerFactory.getLogger(CheckpointListener.class);

    private final Path dir;
    private final String name;
    private int epoch;

    /**
     * Creates a listener saving into a directory.
     *
     * @param dir the checkpoint directory, created if missing
     * @param name the checkpoint name (file prefix)
     */
    public CheckpointListener(Path dir, String name) {
        if (dir == null || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("A checkpoint directory and a name are required");
        }
        this.dir = dir;
        this.name = name;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        String saved = trainer.getModel().getProperty("Epoch");
        try {
            epoch = saved == null ? 0 : Integer.parseInt(saved);
        } catch (NumberFormatException e) {
            logger.warn("The model's Epoch property '{}' is not a number; counting from 0", saved);
            epoch = 0;
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        epoch++;
        Model model = trainer.getModel();
        try {
            Path file = Checkpoint.save(model, dir, name, epoch);
            logger.info("Checkpoint saved: {}", file);
        } catch (IOException | RuntimeException e) {
            logger.error(
                    "Cannot save checkpoint {} of epoch {} in {}; the earlier checkpoints are"
                            + " intact, training goes on",
                    name,
                    epoch,
                    dir,
                    e);
        }
    }
}
