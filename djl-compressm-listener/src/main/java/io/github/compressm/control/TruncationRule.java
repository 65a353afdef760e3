package io.github.compressm.control;

/**
 * The rule that decides, from a layer's Hankel analysis, whether and to what order a layer is
 * truncated: the one place where tolerance or kept fraction, minimum state size, gate and selection
 * mode meet.
 *
 * <ol>
 *   <li>A layer at or below the minimum state size is kept without analysis ({@link #isAtMinimum}).
 *   <li>The order is the smallest whose leading Hankel singular values hold at least {@code 1 -
 *       tau} of their sum (like the reference implementation this sums the values, not their
 *       squares), or {@code ceil(fraction x number of values)} with a fixed kept fraction; at most
 *       the numerical order.
 *   <li>If the truncation keeps fewer states than the minimum, the order is raised until it has
 *       enough (or reaches the numerical order).
 *   <li>The reduction is taken only if the new state size is below {@code gate x} the current one.
 * </ol>
 *
 * <p>Orders are in the units of the Hankel singular values, state sizes in the layer's own ({@link
 * StateSpectrum#statesForOrder}); the rule decides on states. Instances are immutable.
 */
public final class TruncationRule {

    private final double tolerance;
    private final double keepFraction;
    private final double gate;
    private final int minStateSize;
    private final SelectionMode selectionMode;

    private TruncationRule(Builder builder) {
        tolerance = builder.tolerance;
        keepFraction = builder.fractionSet ? builder.keepFraction : 0;
        gate = builder.gate;
        minStateSize = builder.minStateSize;
        selectionMode = builder.selectionMode;
    }

    /**
     * Creates a builder with the paper's defaults (tolerance 0.02, gate 0.95, minimum 1 state,
     * {@link SelectionMode#LARGEST}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns whether a layer of this size is kept without analysis.
     *
     * @param stateSize the layer's current state size
     * @return true if it is at or below the minimum state size
     */
    public boolean isAtMinimum(int stateSize) {
        return stateSize <= minStateSize;
    }

    /**
     * Returns the minimum state size.
     *
     * @return the least state size a layer is reduced to
     */
    public int getMinStateSize() {
        return minStateSize;
    }

    /**
     * Decides about one layer, in its states: the order from the tolerance or fraction, raised
     * while it keeps fewer states than the minimum, then the gate on the state count.
     *
     * @param spectrum the layer's balanced system
     * @param stateSize the layer's current state size
     * @return the decision: reduce to an order, or keep with the reason
     */
    public Decision decide(StateSpectrum spectrum, int stateSize) {
        int maxOrder = spectrum.getNumericalOrder();
        if (maxOrder < 1) {
            return Decision.keep(0, stateSize, "all Hankel singular values are numerically zero");
        }
        double[] hsv = spectrum.getHankelSingularValues();
        int order =
                keepFraction > 0
                        ? orderForFraction(hsv.length, keepFraction, maxOrder)
                        : orderForTolerance(hsv, tolerance, maxOrder);
        int states = spectrum.statesForOrder(order);
        String floored = "";
        while (states < minStateSize && order < maxOrder) {
            order++;
            states = spectrum.statesForOrder(order);
            floored = ", order raised to reach the minimum state size " + minStateSize;
        }
        if (states >= gate * stateSize) {
            return Decision.keep(
                    order,
                    states,
                    "new state size "
                            + states
                            + " is not below "
                            + gate
                            + " x "
                            + stateSize
                            + floored);
        }
        return new Decision(true, order, states, "reduced by balanced truncation" + floored);
    }

    /**
     * Returns which balanced states a truncation keeps.
     *
     * @return the selection mode
     */
    public SelectionMode getSelectionMode() {
        return selectionMode;
    }

    /**
     * Returns the smallest order {@code r} with {@code sum_{i <= r} sigma_i >= (1 - tau) sum_i
     * sigma_i}, in {@code [1, maxOrder]}.
     */
    static int orderForTolerance(double[] hsv, double tau, int maxOrder) {
        double total = 0;
        for (double s : hsv) {
            total += s;
        }
        if (!(total > 0)) {
            return 1;
        }
        double target = (1 - tau) * total;
        double sum = 0;
        for (int i = 0; i < hsv.length; i++) {
            sum += hsv[i];
            // A relative slack of a few ulps keeps tau = 0 from demanding round-off noise.
            if (sum >= target * (1 - 4 * Math.ulp(1.0))) {
                return Math.min(i + 1, maxOrder);
            }
        }
        return maxOrder;
    }

    /** Returns {@code ceil(fraction * fullOrder)}, in {@code [1, maxOrder]}. */
    static int orderForFraction(int fullOrder, double fraction, int maxOrder) {
        int order = (int) Math.ceil(fraction * fullOrder - 1e-9);
        return Math.max(1, Math.min(order, maxOrder));
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "TruncationRule{"
                + (keepFraction > 0 ? "keepFraction=" + keepFraction : "tolerance=" + tolerance)
                + ", gate="
                + gate
                + ", minStateSize="
                + minStateSize
                + ", selection="
                + selectionMode
                + '}';
    }

    /** The outcome of {@link #decide}: reduce to an order, or keep the layer with a reason. */
    public static final class Decision {

        private final boolean reduce;
        private final int order;
        private final int states;
        private final String reason;

        private Decision(boolean reduce, int order, int states, String reason) {
            this.reduce = reduce;
            this.order = order;
            this.states = states;
            this.reason = reason;
        }

        private static Decision keep(int order, int states, String reason) {
            return new Decision(false, order, states, reason);
        }

        /**
         * Returns whether the layer is to be reduced.
         *
         * @return true to truncate to {@link #getOrder()}
         */
        public boolean isReduce() {
            return reduce;
        }

        /**
         * Returns the chosen order, in Hankel singular value units.
         *
         * @return the order, 0 if none was chosen
         */
        public int getOrder() {
            return order;
        }

        /**
         * Returns the layer's state size after a truncation to {@link #getOrder()}: the state size
         * the gate judged.
         *
         * @return the state count, or the current size if no order was chosen
         */
        public int getStates() {
            return states;
        }

        /**
         * Returns why the layer is reduced or kept.
         *
         * @return a human-readable reason
         */
        public String getReason() {
            return reason;
        }
    }

    /** The builder of {@link TruncationRule}; every setting has a default taken from the paper. */
    public static final class Builder {

        private double tolerance = 0.02;
        private boolean toleranceSet;
        private double keepFraction;
        private boolean fractionSet;
        private double gate = 0.95;
        private int minStateSize = 1;
        private SelectionMode selectionMode = SelectionMode.LARGEST;

        Builder() {}

        /**
         * Sets the tolerance {@code tau}: keep the smallest order whose leading Hankel singular
         * values hold at least {@code 1 - tau} of their sum (default 0.02, the middle of the
         * paper's sMNIST settings 0.01, 0.02 and 0.04). Cannot be combined with {@link
         * #optKeepFraction}.
         *
         * @param tolerance the fraction of Hankel energy that may be discarded, in [0, 1)
         * @return this builder
         */
        public Builder optTolerance(double tolerance) {
            this.tolerance = tolerance;
            toleranceSet = true;
            return this;
        }

        /**
         * Uses a fixed fraction instead of a tolerance: keep {@code ceil(fraction x number of
         * Hankel singular values)} balanced states of the layer's current system, an ablation of
         * the paper. The gate still applies, so a fraction above the gate never reduces.
         *
         * @param fraction the kept fraction, in (0, 1]
         * @return this builder
         */
        public Builder optKeepFraction(double fraction) {
            this.keepFraction = fraction;
            fractionSet = true;
            return this;
        }

        /**
         * Sets the gate: a layer is reduced only if its new state size is below {@code gate x} its
         * current size (default 0.95, the paper's 5% rule), so tiny reductions that cost new
         * optimizer state and buy little speed are skipped.
         *
         * @param gate the gate, in (0, 1]
         * @return this builder
         */
        public Builder optGate(double gate) {
            this.gate = gate;
            return this;
        }

        /**
         * Sets the smallest state size a layer may be reduced to (default 1); a smaller result is
         * raised to it.
         *
         * @param minStateSize the minimum, positive
         * @return this builder
         */
        public Builder optMinStateSize(int minStateSize) {
            this.minStateSize = minStateSize;
            return this;
        }

        /**
         * Sets which balanced states are kept (default {@link SelectionMode#LARGEST}, balanced
         * truncation; the others are the paper's ablations).
         *
         * @param selectionMode the mode
         * @return this builder
         */
        public Builder optSelectionMode(SelectionMode selectionMode) {
            this.selectionMode = selectionMode;
            return this;
        }

        /**
         * Builds the rule.
         *
         * @return the rule
         * @throws IllegalArgumentException if a setting is out of range
         */
        public TruncationRule build() {
            if (toleranceSet && fractionSet) {
                throw new IllegalArgumentException(
                        "Use either optTolerance or optKeepFraction, not both");
            }
            if (!(tolerance >= 0 && tolerance < 1)) {
                throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
            }
            if (fractionSet && !(keepFraction > 0 && keepFraction <= 1)) {
                throw new IllegalArgumentException(
                        "keep fraction must be in (0, 1], got " + keepFraction);
            }
            if (!(gate > 0 && gate <= 1)) {
                throw new IllegalArgumentException("gate must be in (0, 1], got " + gate);
            }
            if (minStateSize < 1) {
                throw new IllegalArgumentException(
                        "minimum state size must be positive, got " + minStateSize);
            }
            if (selectionMode == null) {
                throw new IllegalArgumentException("selection mode must not be null");
            }
            return new TruncationRule(this);
        }
    }
}
