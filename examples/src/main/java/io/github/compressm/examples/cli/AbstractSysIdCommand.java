package io.github.compressm.examples.cli;

import io.github.compressm.examples.tasks.sysid.SysIdModel;
import io.github.compressm.examples.tasks.sysid.SysIdSpec;
import io.github.compressm.examples.tasks.sysid.SysIdTask;
import io.github.compressm.examples.training.ExampleTask;
import io.github.compressm.examples.training.RunConfig;
import picocli.CommandLine.Option;

/**
 * The options and task of the system identification subcommands ({@code sysid} and {@code demo}),
 * which differ only in their name and defaults.
 */
public abstract class AbstractSysIdCommand extends TaskCommand {

    @Option(
            names = "--model",
            description =
                    "RESIDUAL (encoder, residual LRU layers, head), LRU (plain LRU blocks on the"
                            + " input channels, then a linear head) or PROJECTED_LRU (linear"
                            + " projection to --hidden-size channels, plain LRU blocks, linear head)"
                            + " (default: ${DEFAULT-VALUE}).")
    SysIdModel model;

    @Option(
            names = "--order",
            description = "True order of the system (default: ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--inputs", description = "Input channels (default: ${DEFAULT-VALUE}).")
    int inputs;

    @Option(names = "--outputs", description = "Output channels (default: ${DEFAULT-VALUE}).")
    int outputs;

    @Option(
            names = "--seq-len",
            description = "Time steps per sequence (default: ${DEFAULT-VALUE}).")
    int sequenceLength;

    @Option(
            names = "--train-sequences",
            description = "Training sequences (default: ${DEFAULT-VALUE}).")
    int trainSequences;

    @Option(names = "--test-sequences", description = "Test sequences (default: ${DEFAULT-VALUE}).")
    int testSequences;

    @Option(
            names = "--noise",
            description =
                    "Noise std on the unit-variance training outputs (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(
            names = "--pole-min",
            description = "Smallest pole modulus of the system (default: ${DEFAULT-VALUE}).")
    double poleMin;

    @Option(
            names = "--pole-max",
            description =
                    "Largest pole modulus of the system, below 1 (default: ${DEFAULT-VALUE}).")
    double poleMax;

    /**
     * Returns the name written into reports.
     *
     * @return the task name
     */
    protected abstract String taskName();

    /** {@inheritDoc} */
    @Override
    protected ExampleTask task(RunConfig config) {
        common.require(order >= 1, "--order must be at least 1, got " + order);
        common.require(inputs >= 1 && outputs >= 1, "--inputs and --outputs must be at least 1");
        common.require(sequenceLength >= 1, "--seq-len must be at least 1");
        common.require(
                trainSequences >= 1 && testSequences >= 1,
                "--train-sequences and --test-sequences must be at least 1");
        common.require(noise >= 0, "--noise must be >= 0, got " + noise);
        common.require(
                poleMin > 0 && poleMin <= poleMax && poleMax < 1,
                "need 0 < --pole-min <= --pole-max < 1, got " + poleMin + " and " + poleMax);
        return new SysIdTask(
                taskName(),
                new SysIdSpec(
                        order,
                        inputs,
                        outputs,
                        sequenceLength,
                        trainSequences,
                        testSequences,
                        noise,
                        poleMin,
                        poleMax),
                model);
    }
}
