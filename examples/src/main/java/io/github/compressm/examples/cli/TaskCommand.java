package io.github.compressm.examples.cli;

import io.github.compressm.examples.training.ExampleTask;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.examples.training.TrainingRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A subcommand that trains one task: parses the shared flags, builds the task and hands both to the
 * {@link TrainingRunner}.
 */
public abstract class TaskCommand implements Callable<Integer> {

    /** The flags shared by every task. */
    @Mixin protected CommonOptions common;

    /**
     * Builds the task from the validated settings and the subcommand's own options.
     *
     * @param config the validated shared settings
     * @return the task
     */
    protected abstract ExampleTask task(RunConfig config);

    /**
     * Trains the task.
     *
     * @return the exit code, 0 on success
     * @throws Exception if data cannot be read or training fails
     */
    @Override
    public Integer call() throws Exception {
        RunConfig config = common.toRunConfig();
        TrainingRunner.run(task(config), config);
        return 0;
    }
}
