package io.github.compressm.benchmarks;

import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options every timing benchmark shares (a picocli mixin): warm-ups, timed runs, PyTorch
 * threads and the JSON file. Fewer than {@link #MIN_WARMUPS} warm-ups or {@link #MIN_RUNS} runs
 * make a smoke run, not a result.
 */
final class TimingOptions {

    /** Fewest warm-ups for a result. */
    static final int MIN_WARMUPS = 3;

    /** Fewest timed runs for a result. */
    static final int MIN_RUNS = 9;

    @Option(
            names = "--warmups",
            description =
                    "Untimed calls of every measurement before the timed ones (default:"
                            + " ${DEFAULT-VALUE}; fewer than 3 is a smoke run).")
    private int warmups = MIN_WARMUPS;

    @Option(
            names = "--runs",
            description =
                    "Timed calls of every measurement (default: ${DEFAULT-VALUE}; fewer than 9 is"
                            + " a smoke run).")
    private int runs = MIN_RUNS;

    @Option(
            names = "--threads",
            description =
                    "PyTorch intra-op threads, 0 to leave the engine's default (default: the"
                            + " number of processors, ${DEFAULT-VALUE}).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--json", description = "Where to write the result as JSON.")
    private Path json;

    /**
     * Untimed calls per measurement.
     *
     * @return the warm-up count
     */
    int warmups() {
        return warmups;
    }

    /**
     * Timed calls per measurement.
     *
     * @return the run count
     */
    int runs() {
        return runs;
    }

    /**
     * PyTorch intra-op threads, 0 for the engine's default.
     *
     * @return the thread count
     */
    int threads() {
        return threads;
    }

    /**
     * The JSON file to write.
     *
     * @return the path, or null if none was given
     */
    Path json() {
        return json;
    }

    /**
     * Whether the counts are below the protocol's minimum.
     *
     * @return true for a smoke run
     */
    boolean isSmokeRun() {
        return warmups < MIN_WARMUPS || runs < MIN_RUNS;
    }

    /**
     * Returns whether the counts make a smoke run, and if they do, says so on standard error.
     *
     * @return {@code true} for a smoke run
     */
    boolean warnIfSmokeRun() {
        boolean smoke = isSmokeRun();
        if (smoke) {
            System.err.printf(
                    Locale.ROOT,
                    "WARNING: %d warm-ups and %d runs are below the protocol's minimum (%d and %d):"
                            + " a smoke run, not a result.%n",
                    warmups,
                    runs,
                    MIN_WARMUPS,
                    MIN_RUNS);
        }
        return smoke;
    }

    /**
     * Checks the counts.
     *
     * @throws IllegalArgumentException if the warm-ups are negative or there is no timed run
     */
    void validate() {
        if (warmups < 0 || runs < 1) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "need --warmups >= 0 and --runs >= 1, not %d and %d",
                            warmups,
                            runs));
        }
    }

    /**
     * Sets the PyTorch engine's intra-op threads, read when the engine starts: call before the
     * first use of {@code Engine.getInstance()}.
     */
    void applyThreads() {
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
    }
}
