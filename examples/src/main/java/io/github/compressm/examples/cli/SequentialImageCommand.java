package io.github.compressm.examples.cli;

import io.github.compressm.examples.tasks.image.ImageSource;
import io.github.compressm.examples.tasks.image.SequentialImageTask;
import io.github.compressm.examples.training.ExampleTask;
import io.github.compressm.examples.training.RunConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sequential-image}: pixel-by-pixel Fashion-MNIST or MNIST (sequence length 784). */
@Command(
        name = "sequential-image",
        mixinStandardHelpOptions = true,
        defaultValueProvider = SequentialImageCommand.Defaults.class,
        description = {
            "Pixel-by-pixel image classification (784 steps of one pixel in [0, 1], 10 classes):"
                    + " Fashion-MNIST (default) or MNIST, from local IDX files (--data-dir) or"
                    + " DJL's dataset download."
        })
public class SequentialImageCommand extends TaskCommand {

    @Option(
            names = "--dataset",
            description = "FASHION_MNIST or MNIST (default: ${DEFAULT-VALUE}).")
    ImageSource dataset;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Directory with train-images-idx3-ubyte, train-labels-idx1-ubyte,"
                            + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally"
                            + " .gz), e.g. /usr/share/datasets/fashion-mnist from the Debian"
                            + " package dataset-fashion-mnist. Without it, DJL downloads the data.")
    Path dataDir;

    @Option(
            names = "--test-limit",
            description =
                    "Use at most this many test images, 0 for all (default: ${DEFAULT-VALUE}).")
    int testLimit;

    /** {@inheritDoc} */
    @Override
    protected ExampleTask task(RunConfig config) {
        common.require(testLimit >= 0, "--test-limit must be >= 0 (0: all), got " + testLimit);
        return new SequentialImageTask(dataset, dataDir, testLimit);
    }

    /** The defaults of {@code sequential-image}. */
    public static class Defaults extends TaskDefaults {

        /** Creates the defaults. */
        public Defaults() {
            put("--state-size", 64);
            put("--hidden-size", 16);
            put("--layers", 1);
            put("--epochs", 2);
            put("--batch-size", 32);
            put("--learning-rate", 0.002);
            put("--limit", 4000);
            put("--dataset", "FASHION_MNIST");
            put("--test-limit", 1000);
        }
    }
}
