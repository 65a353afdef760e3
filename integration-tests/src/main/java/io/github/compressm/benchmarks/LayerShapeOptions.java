package io.github.compressm.benchmarks;

import picocli.CommandLine.Option;

/**
 * The options of the benchmarks that time one layer in rounds (a picocli mixin): the timed calls
 * per round and the input's shape {@code (batch, length, features)}.
 */
final class LayerShapeOptions {

    @Option(
            names = "--runs-per-round",
            description =
                    "Timed calls of one measurement before switching to the next (default:"
                            + " ${DEFAULT-VALUE}).")
    int runsPerRound = 3;

    @Option(names = "--batch", description = "Sequences per batch (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--length", description = "Steps per sequence (default: ${DEFAULT-VALUE}).")
    int length = 784;

    @Option(names = "--features", description = "Features (default: ${DEFAULT-VALUE}).")
    int features = 64;
}
