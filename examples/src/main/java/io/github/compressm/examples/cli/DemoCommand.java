package io.github.compressm.examples.cli;

import picocli.CommandLine.Command;

/**
 * {@code demo}: the README's first run. A generated system identification task (no data files)
 * whose true order is far below the model's state size, so that in-training compression has
 * something to remove; trains in a few minutes on two CPU cores.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        defaultValueProvider = DemoCommand.Defaults.class,
        description = {
            "A few-minute demo without data files: an LRU model with a large state identifies a"
                    + " random stable linear system of low order, and CompreSSM shrinks the state"
                    + " early in training. Prints state sizes before and after, the test error,"
                    + " the training time and the time spent compressing."
        })
public class DemoCommand extends AbstractSysIdCommand {

    /** {@inheritDoc} */
    @Override
    protected String taskName() {
        return "demo";
    }

    /** The defaults of {@code demo}. */
    public static class Defaults extends SysIdCommand.Defaults {

        /** Creates the defaults. */
        public Defaults() {
            put("--state-size", 64);
            put("--hidden-size", 8);
            put("--epochs", 40);
            put("--tau", 0.05);
            put("--model", "LRU");
        }
    }
}
