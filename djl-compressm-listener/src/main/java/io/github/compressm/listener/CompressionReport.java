package io.github.compressm.listener;

import io.github.compressm.control.GramianWeighting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The immutable history of a CompreSSM run: every check of every layer, with the Hankel singular
 * values, the chosen order, the energy kept and the time spent, plus the state sizes per layer.
 *
 * <p>Returned by {@link CompreSsmListener#getReport()} and written as JSON to the report path.
 */
public final class CompressionReport {

    private final long totalSteps;
    private final long[] checkSteps;
    private final Map<String, Integer> initialStateSizes;
    private final Map<String, Integer> stateSizes;
    private final List<Check> checks;
    private final Double signalRecordingMillis;
    private final CompressionSettings settings;

    CompressionReport(
            CompressionSettings settings,
            long totalSteps,
            long[] checkSteps,
            Map<String, Integer> initialStateSizes,
            Map<String, Integer> stateSizes,
            List<Check> checks,
            double signalRecordingMillis) {
        this.settings = settings;
        this.totalSteps = totalSteps;
        this.checkSteps = checkSteps.clone();
        this.initialStateSizes =
                Collections.unmodifiableMap(new LinkedHashMap<>(initialStateSizes));
        this.stateSizes = Collections.unmodifiableMap(new LinkedHashMap<>(stateSizes));
        this.checks = Collections.unmodifiableList(new ArrayList<>(checks));
        // Left null without data weighting, so such reports keep their format.
        this.signalRecordingMillis = signalRecordingMillis > 0 ? signalRecordingMillis : null;
    }

    /**
     * Returns the settings the run compressed with.
     *
     * @return the settings
     */
    public CompressionSettings getSettings() {
        return settings;
    }

    /**
     * Returns the wall time the SSM layers spent recording signal moments for data-aware Gramians
     * ({@link io.github.compressm.control.GramianWeighting#DATA}): one small product per layer and
     * recorded batch (up to 16 per check), on top of the checks' own time.
     *
     * @return milliseconds, 0 without data weighting
     */
    public double getSignalRecordingMillis() {
        return signalRecordingMillis == null ? 0 : signalRecordingMillis;
    }

    /**
     * Returns the total number of training steps the schedule was built for.
     *
     * @return the total steps, or 0 before the first training batch
     */
    public long getTotalSteps() {
        return totalSteps;
    }

    /**
     * Returns the steps at which checks are scheduled.
     *
     * @return a copy of the check steps, ascending
     */
    public long[] getCheckSteps() {
        return checkSteps.clone();
    }

    /**
     * Returns the state size of every SSM layer when training began, by layer path.
     *
     * @return an unmodifiable map in model order
     */
    public Map<String, Integer> getInitialStateSizes() {
        return initialStateSizes;
    }

    /**
     * Returns the state size of every SSM layer when the report was taken, by layer path.
     *
     * @return an unmodifiable map in model order
     */
    public Map<String, Integer> getStateSizes() {
        return stateSizes;
    }

    /**
     * Returns every check of every layer, in the order they ran.
     *
     * @return an unmodifiable list
     */
    public List<Check> getChecks() {
        return checks;
    }

    /**
     * Returns the checks that changed a layer's size and kept the change.
     *
     * @return the reductions, in order
     */
    public List<Check> getReductions() {
        List<Check> reductions = new ArrayList<>();
        for (Check c : checks) {
            if (c.getOutcome() == Outcome.REDUCED) {
                reductions.add(c);
            }
        }
        return Collections.unmodifiableList(reductions);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "CompressionReport{initial="
                + initialStateSizes
                + ", now="
                + stateSizes
                + ", checks="
                + checks.size()
                + ", reductions="
                + getReductions().size()
                + '}';
    }

    /** What a check did to a layer. */
    public enum Outcome {

        /** The layer was truncated to a smaller state size. */
        REDUCED,

        /**
         * The layer was analysed and kept: the new size did not pass the gate, or it is at the
         * minimum.
         */
        KEPT,

        /** The layer was truncated, then restored because validation accuracy dropped too far. */
        ROLLED_BACK,

        /** The layer was not analysed: non-finite parameters or stale (non-live) values. */
        SKIPPED,

        /** The compression math or the swap failed; the layer was left unchanged. */
        FAILED
    }

    /** One check of one layer. */
    public static final class Check {

        private final long step;
        private final String layer;
        private final Outcome outcome;
        private final int stateSizeBefore;
        private final int stateSizeAfter;
        private final double[] hankelSingularValues;
        private final int keptOrder;
        private final Double energyKept;
        private final Double accuracyBefore;
        private final Double accuracyAfter;
        private final double milliseconds;
        private final String message;
        private final String weighting;
        private final double[] localHankelSingularValues;

        Check(
                long step,
                String layer,
                Outcome outcome,
                int stateSizeBefore,
                int stateSizeAfter,
                double[] hankelSingularValues,
                int keptOrder,
                Double energyKept,
                Double accuracyBefore,
                Double accuracyAfter,
                double milliseconds,
                String message,
                GramianWeighting weighting,
                double[] localHankelSingularValues) {
            this.step = step;
            this.layer = layer;
            this.outcome = outcome;
            this.stateSizeBefore = stateSizeBefore;
            this.stateSizeAfter = stateSizeAfter;
            this.hankelSingularValues =
                    hankelSingularValues == null ? new double[0] : hankelSingularValues.clone();
            this.keptOrder = keptOrder;
            this.energyKept = energyKept;
            this.accuracyBefore = accuracyBefore;
            this.accuracyAfter = accuracyAfter;
            this.milliseconds = milliseconds;
            this.message = message;
            // Left null for the default (layer-local) analysis, so such reports keep their format.
            this.weighting = weighting == GramianWeighting.DATA ? weighting.name() : null;
            this.localHankelSingularValues =
                    localHankelSingularValues == null ? null : localHankelSingularValues.clone();
        }

        /**
         * Returns the training step of the check (from 1).
         *
         * @return the step
         */
        public long getStep() {
            return step;
        }

        /**
         * Returns the layer's path in the block tree.
         *
         * @return the layer name
         */
        public String getLayer() {
            return layer;
        }

        /**
         * Returns what the check did.
         *
         * @return the outcome
         */
        public Outcome getOutcome() {
            return outcome;
        }

        /**
         * Returns the layer's state size before the check.
         *
         * @return the state size
         */
        public int getStateSizeBefore() {
            return stateSizeBefore;
        }

        /**
         * Returns the layer's state size after the check (equal to before unless reduced).
         *
         * @return the state size
         */
        public int getStateSizeAfter() {
            return stateSizeAfter;
        }

        /**
         * Returns the Hankel singular values of the layer at the check, descending; empty if the
         * layer was not analysed.
         *
         * @return a copy of the values
         */
        public double[] getHankelSingularValues() {
            return hankelSingularValues.clone();
        }

        /**
         * Returns the number of balanced states chosen (the rank, in the units of the Hankel
         * singular values), or 0 if none was chosen. With the default real-output Gramians these
         * are real states, two per complex layer state: an order of 14 can become 7 complex states
         * (or more, when the reduced system has real eigenvalues), while the state sizes of this
         * report count the layer's complex states.
         *
         * @return the chosen order
         */
        public int getKeptOrder() {
            return keptOrder;
        }

        /**
         * Returns the fraction of Hankel energy ({@code sum sigma}) in the chosen states, or null
         * if no order was chosen.
         *
         * @return the energy kept, in [0, 1], or null
         */
        public Double getEnergyKept() {
            return energyKept;
        }

        /**
         * Returns the rollback accuracy before the swap, or null when rollback is off.
         *
         * @return the accuracy or null
         */
        public Double getAccuracyBefore() {
            return accuracyBefore;
        }

        /**
         * Returns the rollback accuracy after the swap, or null when rollback is off or no swap
         * happened.
         *
         * @return the accuracy or null
         */
        public Double getAccuracyAfter() {
            return accuracyAfter;
        }

        /**
         * Returns the wall time the check of this layer took.
         *
         * @return milliseconds
         */
        public double getMilliseconds() {
            return milliseconds;
        }

        /**
         * Returns a human-readable explanation of the outcome.
         *
         * @return the message
         */
        public String getMessage() {
            return message;
        }

        /**
         * Returns how the Gramians of this check were weighted.
         *
         * @return {@link GramianWeighting#DATA} for data-aware Hankel singular values, else {@link
         *     GramianWeighting#NONE}
         */
        public GramianWeighting getWeighting() {
            return weighting == null ? GramianWeighting.NONE : GramianWeighting.valueOf(weighting);
        }

        /**
         * Returns the layer-local Hankel singular values, beside the data-weighted ones of {@link
         * #getHankelSingularValues()}, for checks with {@link GramianWeighting#DATA}.
         *
         * @return a copy, descending; empty for layer-local checks (then {@link
         *     #getHankelSingularValues()} are the layer-local values)
         */
        public double[] getLocalHankelSingularValues() {
            return localHankelSingularValues == null
                    ? new double[0]
                    : localHankelSingularValues.clone();
        }

        /** {@inheritDoc} */
        @Override
        public String toString() {
            return "Check{step="
                    + step
                    + ", layer="
                    + layer
                    + ", "
                    + outcome
                    + ", "
                    + stateSizeBefore
                    + " -> "
                    + stateSizeAfter
                    + ", order="
                    + keptOrder
                    + ", energyKept="
                    + energyKept
                    + ", "
                    + message
                    + '}';
        }
    }
}
