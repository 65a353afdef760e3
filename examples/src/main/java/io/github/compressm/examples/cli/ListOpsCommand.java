package io.github.compressm.examples.cli;

import io.github.compressm.examples.tasks.listops.ListOpsSpec;
import io.github.compressm.examples.tasks.listops.ListOpsTask;
import io.github.compressm.examples.training.ExampleTask;
import io.github.compressm.examples.training.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code listops}: the Long Range Arena ListOps task, generated from the seed. */
@Command(
        name = "listops",
        mixinStandardHelpOptions = true,
        defaultValueProvider = ListOpsCommand.Defaults.class,
        description = {
            "LRA ListOps generated in-process: nested MAX/MIN/MED/SM expressions over the digits"
                    + " 0-9, tokenised and padded; classify the value (10 classes)."
        })
public class ListOpsCommand extends TaskCommand {

    @Option(names = "--depth", description = "Deepest nesting (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(
            names = "--max-args",
            description = "Most arguments per operator (default: ${DEFAULT-VALUE}).")
    int maxArgs;

    @Option(
            names = "--min-length",
            description = "Fewest tokens per expression (default: ${DEFAULT-VALUE}).")
    int minLength;

    @Option(
            names = "--max-length",
            description = "Most tokens per expression = padded length (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(
            names = "--train-examples",
            description = "Training examples (default: ${DEFAULT-VALUE}).")
    int trainExamples;

    @Option(names = "--test-examples", description = "Test examples (default: ${DEFAULT-VALUE}).")
    int testExamples;

    /** {@inheritDoc} */
    @Override
    protected ExampleTask task(RunConfig config) {
        common.require(depth >= 1, "--depth must be at least 1, got " + depth);
        common.require(maxArgs >= 2, "--max-args must be at least 2, got " + maxArgs);
        common.require(
                minLength >= 1 && maxLength >= Math.max(minLength, 4),
                "need 1 <= --min-length <= --max-length and --max-length >= 4, got "
                        + minLength
                        + " and "
                        + maxLength);
        common.require(
                trainExamples >= 1 && testExamples >= 1,
                "--train-examples and --test-examples must be at least 1");
        return new ListOpsTask(
                new ListOpsSpec(depth, maxArgs, minLength, maxLength, trainExamples, testExamples));
    }

    /** The defaults of {@code listops}. */
    public static class Defaults extends TaskDefaults {

        /** Creates the defaults. */
        public Defaults() {
            put("--state-size", 64);
            put("--hidden-size", 32);
            put("--layers", 2);
            put("--epochs", 3);
            put("--batch-size", 32);
            put("--learning-rate", 0.002);
            put("--tau", 0.05);
            put("--weighting", "DATA");
            put("--depth", 4);
            put("--max-args", 5);
            put("--min-length", 16);
            put("--max-length", 128);
            put("--train-examples", 4000);
            put("--test-examples", 500);
        }
    }
}
