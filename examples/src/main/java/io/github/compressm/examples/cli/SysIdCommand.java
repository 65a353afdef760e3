package io.github.compressm.examples.cli;

import picocli.CommandLine.Command;

/** {@code sysid}: identify a random stable linear system of known order from noisy data. */
@Command(
        name = "sysid",
        mixinStandardHelpOptions = true,
        defaultValueProvider = SysIdCommand.Defaults.class,
        description = {
            "Identify a random stable linear system of known order from noisy input/output data"
                    + " (sequence-to-sequence regression, L2 loss); reports the final state"
                    + " size next to the true order."
        })
public class SysIdCommand extends AbstractSysIdCommand {

    /** {@inheritDoc} */
    @Override
    protected String taskName() {
        return "sysid";
    }

    /** The defaults of {@code sysid}. */
    public static class Defaults extends TaskDefaults {

        /** Creates the defaults. */
        public Defaults() {
            put("--state-size", 32);
            put("--hidden-size", 8);
            put("--epochs", 10);
            put("--batch-size", 16);
            put("--learning-rate", 0.004);
            put("--model", "RESIDUAL");
            put("--order", 4);
            put("--inputs", 1);
            put("--outputs", 1);
            put("--seq-len", 128);
            put("--train-sequences", 512);
            put("--test-sequences", 64);
            put("--noise", 0.05);
            put("--pole-min", 0.6);
            put("--pole-max", 0.95);
        }
    }
}
