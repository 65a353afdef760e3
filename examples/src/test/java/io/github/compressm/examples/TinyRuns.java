package io.github.compressm.examples;

import java.nio.file.Path;
import java.util.Arrays;

/** The command lines of tiny runs that train in seconds, shared by the end-to-end tests. */
final class TinyRuns {

    /** The characters a tiny {@code char-lm} run samples after training. */
    static final int SAMPLE_LENGTH = 20;

    private TinyRuns() {}

    /**
     * Returns the arguments of a one-epoch {@code char-lm} run of one layer, 16 features wide, on
     * sequences of 32 characters, that samples {@link #SAMPLE_LENGTH} characters.
     *
     * @param text the training text
     * @param stateSize the initial state size
     * @param report where the run writes its report
     * @param more further arguments
     * @return the command line
     */
    static String[] charLm(Path text, int stateSize, Path report, String... more) {
        return with(
                new String[] {
                    "char-lm",
                    "--text",
                    text.toString(),
                    "--epochs",
                    "1",
                    "--state-size",
                    Integer.toString(stateSize),
                    "--hidden-size",
                    "16",
                    "--layers",
                    "1",
                    "--seq-len",
                    "32",
                    "--sample-length",
                    Integer.toString(SAMPLE_LENGTH),
                    "--report",
                    report.toString()
                },
                more);
    }

    /**
     * Returns a command line with more arguments at its end.
     *
     * @param args the command line
     * @param more the arguments to append
     * @return a new array of both
     */
    static String[] with(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
