package io.github.compressm.examples.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Per-subcommand default values of the {@link CommonOptions} (and of a subcommand's own options),
 * keyed by the option's longest name; an option without one here starts at its field's value. Each
 * subcommand declares a subclass as its {@code defaultValueProvider}.
 */
public abstract class TaskDefaults implements IDefaultValueProvider {

    private final Map<String, String> values = new HashMap<>();

    /** Creates the defaults shared by all tasks; subclasses override with {@link #put}. */
    protected TaskDefaults() {
        put("--state-size", 64);
        put("--ssm", "lru");
        put("--hidden-size", 32);
        put("--layers", 1);
        put("--epochs", 5);
        put("--batch-size", 32);
        put("--learning-rate", 0.002);
        put("--lr-schedule", "FIXED");
        put("--weight-decay", 0.0);
        put("--dropout", 0.0);
        put("--tau", 0.02);
        put("--weighting", "NONE");
        put("--seed", 42);
        put("--limit", 0);
    }

    /**
     * Sets a default.
     *
     * @param option the option's longest name, such as {@code --state-size}
     * @param value its default value
     */
    protected final void put(String option, Object value) {
        values.put(option, String.valueOf(value));
    }

    /** {@inheritDoc} */
    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec option) {
            return values.get(option.longestName());
        }
        return null;
    }
}
