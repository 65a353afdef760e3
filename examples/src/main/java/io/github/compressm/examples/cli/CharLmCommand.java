package io.github.compressm.examples.cli;

import io.github.compressm.examples.tasks.text.CharLmSpec;
import io.github.compressm.examples.tasks.text.CharLmTask;
import io.github.compressm.examples.training.ExampleTask;
import io.github.compressm.examples.training.RunConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code char-lm}: a character-level language model on a text file. */
@Command(
        name = "char-lm",
        mixinStandardHelpOptions = true,
        defaultValueProvider = CharLmCommand.Defaults.class,
        description = {
            "Character-level language model on a UTF-8 text file: reports bits per character on"
                    + " the held-out tail of the text and samples a continuation."
        })
public class CharLmCommand extends TaskCommand {

    @Option(
            names = "--text",
            paramLabel = "FILE",
            description =
                    "The UTF-8 text file to model (default: ${DEFAULT-VALUE}, 1.6 MB, from"
                            + " Debian's vim-runtime).")
    Path text;

    @Option(
            names = "--seq-len",
            description = "Characters per training window (default: ${DEFAULT-VALUE}).")
    int sequenceLength;

    @Option(
            names = "--held-out",
            description =
                    "Fraction of the text (its end) kept for evaluation (default: ${DEFAULT-VALUE}).")
    double heldOut;

    @Option(
            names = "--sample-length",
            description = "Characters to generate after training (default: ${DEFAULT-VALUE}).")
    int sampleLength;

    @Option(
            names = "--temperature",
            description = "Sampling temperature, 0 for greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    /** {@inheritDoc} */
    @Override
    protected ExampleTask task(RunConfig config) {
        common.require(sequenceLength >= 1, "--seq-len must be at least 1, got " + sequenceLength);
        common.require(heldOut > 0 && heldOut < 1, "--held-out must be in (0, 1), got " + heldOut);
        common.require(sampleLength >= 0, "--sample-length must be >= 0, got " + sampleLength);
        common.require(temperature >= 0, "--temperature must be >= 0, got " + temperature);
        return new CharLmTask(
                new CharLmSpec(text, sequenceLength, heldOut, sampleLength, temperature));
    }

    /** The defaults of {@code char-lm}. */
    public static class Defaults extends TaskDefaults {

        /** Creates the defaults. */
        public Defaults() {
            put("--text", "/usr/share/vim/vim90/doc/version8.txt");
            put("--state-size", 64);
            put("--hidden-size", 64);
            put("--layers", 2);
            put("--epochs", 1);
            put("--tau", 0.05);
            put("--weighting", "DATA");
            put("--batch-size", 16);
            put("--learning-rate", 0.003);
            put("--seq-len", 128);
            put("--held-out", 0.1);
            put("--sample-length", 200);
            put("--temperature", 0.7);
        }
    }
}
