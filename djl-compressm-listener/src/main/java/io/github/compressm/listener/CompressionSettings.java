package io.github.compressm.listener;

import io.github.compressm.control.GramianMode;
import io.github.compressm.control.GramianWeighting;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.TruncationRule;

/**
 * How a {@link CompreSsmListener} compresses: the schedule of checks, the truncation rule and the
 * Gramians, in one immutable object. The listener's builder sets them with the same {@code opt*}
 * methods ({@link Options}); a program that takes them from its command line builds them once with
 * {@link #builder()} and hands them on ({@link CompreSsmListener.Builder#optSettings}); the report
 * records them ({@link CompressionReport#getSettings()}).
 *
 * <p>Defaults are the paper's: tolerance 0.02, checks at 4 evenly spaced steps in the first 10% of
 * training, gate 0.95, the largest Hankel singular values kept, layer-local Gramians of the real
 * output.
 */
public final class CompressionSettings {

    private final double tolerance;
    private final Double keepFraction;
    private final double gate;
    private final int minStateSize;
    private final SelectionMode selectionMode;
    private final double warmupFraction;
    private final int checks;
    private final Long checkInterval;
    private final int extraChecks;
    private final GramianMode gramianMode;
    private final GramianWeighting gramianWeighting;
    private final double inputWeightFloor;
    private final long seed;
    private final boolean failIfNoSsmBlock;
    private final boolean resume;

    private CompressionSettings(Options<?> o) {
        tolerance = o.tolerance;
        keepFraction = o.keepFraction;
        gate = o.gate;
        minStateSize = o.minStateSize;
        selectionMode = o.selectionMode;
        warmupFraction = o.warmupFraction;
        checks = o.checks;
        checkInterval = o.checkInterval;
        extraChecks = o.extraChecks;
        gramianMode = o.gramianMode;
        gramianWeighting = o.gramianWeighting;
        inputWeightFloor = o.inputWeightFloor;
        seed = o.seed;
        failIfNoSsmBlock = o.failIfNoSsmBlock;
        resume = o.resume;
    }

    /**
     * Creates a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the default settings.
     *
     * @return the paper's settings
     */
    public static CompressionSettings defaults() {
        return builder().build();
    }

    /**
     * Returns the truncation rule these settings define.
     *
     * @return the rule (tolerance or kept fraction, gate, minimum state size, selection)
     */
    public TruncationRule getRule() {
        TruncationRule.Builder rule =
                TruncationRule.builder()
                        .optGate(gate)
                        .optMinStateSize(minStateSize)
                        .optSelectionMode(selectionMode);
        if (keepFraction != null) {
            rule.optKeepFraction(keepFraction);
        } else {
            rule.optTolerance(tolerance);
        }
        return rule.build();
    }

    /**
     * Returns the tolerance {@code tau}, the fraction of Hankel energy a reduction may discard.
     *
     * @return the tolerance; unused when {@link #getKeepFraction()} is set
     */
    public double getTolerance() {
        return tolerance;
    }

    /**
     * Returns the fixed fraction of Hankel singular values kept instead of a tolerance.
     *
     * @return the fraction, or null when the tolerance decides
     */
    public Double getKeepFraction() {
        return keepFraction;
    }

    /**
     * Returns the fraction of all training steps, from the start, inside which reductions happen.
     *
     * @return the warm-up fraction
     */
    public double getWarmupFraction() {
        return warmupFraction;
    }

    /**
     * Returns the number of evenly spaced checks inside the window.
     *
     * @return the checks; unused when {@link #getCheckInterval()} is set
     */
    public int getChecks() {
        return checks;
    }

    /**
     * Returns the steps between checks, if checks are spaced by an interval.
     *
     * @return the interval, or null when a number of checks is spread over the window
     */
    public Long getCheckInterval() {
        return checkInterval;
    }

    /**
     * Returns the most checks added past the window while layers still shrink.
     *
     * @return the extra checks, at least 0
     */
    public int getExtraChecks() {
        return extraChecks;
    }

    /**
     * Returns the Gramians of linear time-invariant layers.
     *
     * @return the mode
     */
    public GramianMode getGramianMode() {
        return gramianMode;
    }

    /**
     * Returns how the Gramians of linear time-invariant layers are weighted.
     *
     * @return the weighting
     */
    public GramianWeighting getGramianWeighting() {
        return gramianWeighting;
    }

    /**
     * Returns the floor under the input weight of data-aware Gramians.
     *
     * @return a fraction of the input moment's mean eigenvalue, at least 0
     */
    public double getInputWeightFloor() {
        return inputWeightFloor;
    }

    /**
     * Returns the seed of {@link SelectionMode#RANDOM}.
     *
     * @return the seed
     */
    public long getSeed() {
        return seed;
    }

    /**
     * Returns whether a model without a compressible SSM block fails the run.
     *
     * @return true to fail, false to warn and train on
     */
    public boolean isFailIfNoSsmBlock() {
        return failIfNoSsmBlock;
    }

    /**
     * Returns whether a listener continues the schedule of a saved run.
     *
     * @return true to resume
     */
    public boolean isResume() {
        return resume;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "CompressionSettings{rule="
                + getRule()
                + ", warmupFraction="
                + warmupFraction
                + (checkInterval != null ? ", interval=" + checkInterval : ", checks=" + checks)
                + ", extraChecks="
                + extraChecks
                + ", gramians="
                + gramianMode
                + '/'
                + gramianWeighting
                + (inputWeightFloor > 0 ? ", inputWeightFloor=" + inputWeightFloor : "")
                + '}';
    }

    /**
     * The builder of {@link CompressionSettings}.
     *
     * <p>Its options are those of {@link Options}; {@link #build()} validates them.
     */
    public static final class Builder extends Options<Builder> {

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException if a setting is out of range or two settings exclude
         *     each other
         */
        public CompressionSettings build() {
            return settings();
        }
    }

    /**
     * The compression options, shared by {@link Builder} and {@link CompreSsmListener.Builder}.
     *
     * @param <B> the concrete builder
     */
    public abstract static class Options<B extends Options<B>> {

        private double tolerance = 0.02;
        private Double keepFraction;
        private double gate = 0.95;
        private int minStateSize = 1;
        private SelectionMode selectionMode = SelectionMode.LARGEST;
        private double warmupFraction = 0.1;
        private int checks = 4;
        private Long checkInterval;
        private boolean checksSet;
        private int extraChecks;
        private GramianMode gramianMode = GramianMode.REAL_OUTPUT;
        private GramianWeighting gramianWeighting = GramianWeighting.NONE;
        private double inputWeightFloor;
        private long seed = 42;
        private boolean failIfNoSsmBlock;
        private boolean resume = true;
        private boolean toleranceSet;

        Options() {}

        /**
         * Returns this builder.
         *
         * @return this
         */
        protected abstract B self();

        /**
         * Takes every option from existing settings.
         *
         * @param settings the settings
         * @return this builder
         */
        public B optSettings(CompressionSettings settings) {
            tolerance = settings.tolerance;
            toleranceSet = false;
            keepFraction = settings.keepFraction;
            gate = settings.gate;
            minStateSize = settings.minStateSize;
            selectionMode = settings.selectionMode;
            warmupFraction = settings.warmupFraction;
            checks = settings.checks;
            checksSet = false;
            checkInterval = settings.checkInterval;
            extraChecks = settings.extraChecks;
            gramianMode = settings.gramianMode;
            gramianWeighting = settings.gramianWeighting;
            inputWeightFloor = settings.inputWeightFloor;
            seed = settings.seed;
            failIfNoSsmBlock = settings.failIfNoSsmBlock;
            resume = settings.resume;
            return self();
        }

        /**
         * Sets the tolerance {@code tau} (default 0.02): the smallest order whose leading Hankel
         * singular values hold at least {@code 1 - tau} of their sum is kept. Cannot be combined
         * with {@link #optKeepFraction}.
         *
         * @param tolerance the fraction of Hankel energy that may be discarded, in [0, 1)
         * @return this builder
         */
        public B optTolerance(double tolerance) {
            this.tolerance = tolerance;
            toleranceSet = true;
            return self();
        }

        /**
         * Keeps a fixed fraction of the Hankel singular values ({@code ceil(fraction x order)})
         * instead of using a tolerance.
         *
         * @param fraction the kept fraction, in (0, 1]
         * @return this builder
         */
        public B optKeepFraction(double fraction) {
            this.keepFraction = fraction;
            return self();
        }

        /**
         * Sets the gate (default 0.95): a layer is reduced only if its new state size is below
         * {@code gate x} the current one.
         *
         * @param gate the gate, in (0, 1]
         * @return this builder
         */
        public B optGate(double gate) {
            this.gate = gate;
            return self();
        }

        /**
         * Sets the smallest state size a layer may be reduced to (default 1); a layer at or below
         * it is not analysed.
         *
         * @param minStateSize the minimum, positive
         * @return this builder
         */
        public B optMinStateSize(int minStateSize) {
            this.minStateSize = minStateSize;
            return self();
        }

        /**
         * Sets which balanced states are kept (default {@link SelectionMode#LARGEST}; the ablations
         * {@link SelectionMode#SMALLEST} and {@link SelectionMode#RANDOM}).
         *
         * @param selectionMode the mode
         * @return this builder
         */
        public B optSelectionMode(SelectionMode selectionMode) {
            this.selectionMode = selectionMode;
            return self();
        }

        /**
         * Sets the fraction of all training steps, from the start, inside which reductions happen
         * (default 0.1, as in the paper: the ranking of Hankel singular values settles early).
         *
         * @param warmupFraction the fraction, in (0, 1]
         * @return this builder
         */
        public B optWarmupFraction(double warmupFraction) {
            this.warmupFraction = warmupFraction;
            return self();
        }

        /**
         * Sets the number of evenly spaced checks inside the window (default 4, as the paper's text
         * describes: four equally spaced attempts inside the learning-rate warm-up; the reference
         * code instead checks inside its evaluation block, in its sMNIST configuration at steps 10k
         * and 20k of 200k). Cannot be combined with {@link #optCheckInterval}.
         *
         * @param checks the number of checks, positive
         * @return this builder
         */
        public B optChecks(int checks) {
            this.checks = checks;
            checksSet = true;
            return self();
        }

        /**
         * Checks every {@code interval} steps inside the window instead of a fixed number of times.
         * Cannot be combined with {@link #optChecks}.
         *
         * @param interval the steps between checks, positive
         * @return this builder
         */
        public B optCheckInterval(long interval) {
            this.checkInterval = interval;
            return self();
        }

        /**
         * Lets the schedule run on past the window while the layers are still shrinking (default 0:
         * checks only inside the window). When a check reduces at least one layer and is the last
         * one scheduled, one more check is added {@code interval} steps later (the interval between
         * the window's checks), up to {@code maxExtraChecks} extra checks in all. A check that
         * reduces nothing ends the schedule. Recording for data weights happens before every check,
         * extra ones included.
         *
         * @param maxExtraChecks the most checks added past the window, at least 0
         * @return this builder
         */
        public B optExtraChecks(int maxExtraChecks) {
            this.extraChecks = maxExtraChecks;
            return self();
        }

        /**
         * Sets which Gramians define the Hankel singular values of linear time-invariant layers
         * (default {@link GramianMode#REAL_OUTPUT}, the correct analysis of a layer whose output is
         * {@code Re(C x)}; {@link GramianMode#COMPLEX_OUTPUT_REFERENCE} reproduces the JAX
         * reference implementation's rank choices, without the error bound). Orders, tolerances and
         * fractions refer to the Hankel singular values of the chosen mode.
         *
         * @param gramianMode the mode
         * @return this builder
         */
        public B optGramianMode(GramianMode gramianMode) {
            this.gramianMode = gramianMode;
            return self();
        }

        /**
         * Sets how the Gramians of linear time-invariant layers are weighted (default {@link
         * GramianWeighting#NONE}, layer-local Gramians). With {@link GramianWeighting#DATA} every
         * such layer records the second moments of its inputs and of the loss gradient at its
         * output on up to 16 training batches spread over the steps before each check (one small
         * product per layer and recorded batch and one extra array the size of the layer's output),
         * and the Hankel singular values measure the states the network actually uses. The report
         * then holds both spectra. Selective layers always use Gramians from data.
         *
         * @param weighting the weighting
         * @return this builder
         */
        public B optGramianWeighting(GramianWeighting weighting) {
            this.gramianWeighting = weighting;
            return self();
        }

        /**
         * Sets a floor under the input weight of {@link GramianWeighting#DATA} (default 0: the
         * measured input moment alone): every input direction then counts with at least this
         * fraction of the average input power. With no floor a layer fed by a narrow projection is
         * cut to the few directions its inputs spanned in the batches before the check; a floor
         * keeps states for directions those inputs may move into as the layers before it train.
         *
         * @param floor a finite fraction {@code >= 0} of the input moment's mean eigenvalue, e.g.
         *     0.1
         * @return this builder
         */
        public B optInputWeightFloor(double floor) {
            this.inputWeightFloor = floor;
            return self();
        }

        /**
         * Sets the seed of {@link SelectionMode#RANDOM} (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public B optSeed(long seed) {
            this.seed = seed;
            return self();
        }

        /**
         * Fails the run (an {@link IllegalStateException} from the first training batch) if the
         * model has no compressible SSM block, instead of warning and training on uncompressed
         * (default false).
         *
         * @param fail true to fail
         * @return this builder
         */
        public B optFailIfNoSsmBlock(boolean fail) {
            this.failIfNoSsmBlock = fail;
            return self();
        }

        /**
         * Sets whether a listener attached to a model that holds a saved run's progress (a model
         * saved during training with this listener, then loaded) continues that run's schedule
         * (default true). With false the listener starts a new schedule from step 0 with its own
         * total, as for a new model.
         *
         * @param resume true to continue a saved run
         * @return this builder
         */
        public B optResume(boolean resume) {
            this.resume = resume;
            return self();
        }

        /**
         * Validates the options and builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException if an option is out of range or two options exclude each
         *     other
         */
        CompressionSettings settings() {
            if (toleranceSet && keepFraction != null) {
                throw new IllegalArgumentException(
                        "Use either optTolerance or optKeepFraction, not both");
            }
            if (checksSet && checkInterval != null) {
                throw new IllegalArgumentException(
                        "Use either optChecks or optCheckInterval, not both");
            }
            if (!(warmupFraction > 0 && warmupFraction <= 1)) {
                throw new IllegalArgumentException(
                        "warmup fraction must be in (0, 1], got " + warmupFraction);
            }
            if (checks < 1) {
                throw new IllegalArgumentException("checks must be positive, got " + checks);
            }
            if (checkInterval != null && checkInterval < 1) {
                throw new IllegalArgumentException(
                        "check interval must be positive, got " + checkInterval);
            }
            if (extraChecks < 0) {
                throw new IllegalArgumentException(
                        "extra checks must be at least 0 (0 checks only inside the window), got "
                                + extraChecks);
            }
            if (gramianMode == null) {
                throw new IllegalArgumentException("Gramian mode must not be null");
            }
            if (gramianWeighting == null) {
                throw new IllegalArgumentException("Gramian weighting must not be null");
            }
            if (!(inputWeightFloor >= 0) || !Double.isFinite(inputWeightFloor)) {
                throw new IllegalArgumentException(
                        "input weight floor must be a finite fraction >= 0 of the input moment's"
                                + " mean eigenvalue (0 for none, e.g. 0.1), got "
                                + inputWeightFloor);
            }
            CompressionSettings settings = new CompressionSettings(this);
            settings.getRule(); // validates tolerance, fraction, gate, minimum and selection
            return settings;
        }
    }
}
