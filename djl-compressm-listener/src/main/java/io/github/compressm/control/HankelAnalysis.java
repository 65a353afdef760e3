package io.github.compressm.control;

import io.github.compressm.control.linalg.Spectrum;
import io.github.compressm.ssm.DiagonalRealization;

/**
 * The Hankel singular values of one layer; produced by {@link
 * SystemReducer#analyse(DiagonalRealization)} and reusable by {@link
 * SystemReducer#reduce(HankelAnalysis, int, SelectionMode, java.util.Random)} without recomputing
 * Gramians.
 *
 * <p>Orders are in the units of {@link #getHankelSingularValues()}: real states ({@code 2n} values)
 * for {@link GramianMode#REAL_OUTPUT}, complex states ({@code n} values) for {@link
 * GramianMode#COMPLEX_OUTPUT_REFERENCE}. The number of layer states an order yields follows from
 * the eigenvalues of the reduced system: {@link #statesForOrder(int)}.
 */
public final class HankelAnalysis implements StateSpectrum {

    private final GramianMode mode;
    private final DiagonalRealization realization;
    private final SignalWeights weights;
    private final BalancedTruncation balancing;
    private final double[] hsv;
    private final int numericalOrder;
    private final long elapsedMillis;
    private int cachedOrder = -1;
    private Spectrum cachedSpectrum;

    HankelAnalysis(
            GramianMode mode,
            DiagonalRealization realization,
            SignalWeights weights,
            BalancedTruncation balancing,
            long elapsedMillis) {
        this.mode = mode;
        this.realization = realization;
        this.weights = weights;
        this.balancing = balancing;
        this.elapsedMillis = elapsedMillis;
        this.hsv = inMode(balancing.getHankelSingularValues(), mode);
        this.numericalOrder =
                mode == GramianMode.REAL_OUTPUT
                        ? balancing.getNumericalOrder()
                        : balancing.getNumericalOrder() / 2;
    }

    /**
     * Returns the Hankel singular values of a real system in a mode's units.
     *
     * @param real the values of the real system, descending
     * @param mode the mode
     * @return {@code real} for {@link GramianMode#REAL_OUTPUT}; otherwise one value per complex
     *     state (the real embedding of a complex system repeats each complex value twice)
     */
    static double[] inMode(double[] real, GramianMode mode) {
        if (mode == GramianMode.REAL_OUTPUT) {
            return real;
        }
        double[] complex = new double[real.length / 2];
        for (int i = 0; i < complex.length; i++) {
            complex[i] = real[2 * i];
        }
        return complex;
    }

    /**
     * Returns the Gramian mode of this analysis.
     *
     * @return the mode
     */
    public GramianMode getMode() {
        return mode;
    }

    /**
     * Returns the analysed layer system.
     *
     * @return the realisation
     */
    public DiagonalRealization getRealization() {
        return realization;
    }

    /**
     * Returns the data weights of the Gramians.
     *
     * @return the weights, or {@code null} for layer-local Gramians ({@link GramianWeighting#NONE})
     */
    public SignalWeights getWeights() {
        return weights;
    }

    /** {@inheritDoc} */
    @Override
    public double[] getHankelSingularValues() {
        return hsv.clone();
    }

    /**
     * Returns the number of Hankel singular values: {@code 2n} for {@link GramianMode#REAL_OUTPUT},
     * {@code n} for {@link GramianMode#COMPLEX_OUTPUT_REFERENCE}.
     *
     * @return the full order
     */
    public int getFullOrder() {
        return hsv.length;
    }

    /** {@inheritDoc} */
    @Override
    public int getNumericalOrder() {
        return numericalOrder;
    }

    /**
     * Returns the sum of all Hankel singular values.
     *
     * @return the total Hankel energy, as used by tolerance-based rank choice
     */
    public double getTotalEnergy() {
        double sum = 0;
        for (double s : hsv) {
            sum += s;
        }
        return sum;
    }

    /**
     * Returns the wall time of the analysis.
     *
     * @return milliseconds spent on Gramians and Hankel singular values
     */
    public long getElapsedMillis() {
        return elapsedMillis;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The real eigenvalues plus the conjugate pairs of the reduced state matrix. Costs one
     * {@code O(r^3)} eigenvalue computation; the result is cached for a following {@link
     * SystemReducer#reduce} to the same order.
     */
    @Override
    public int statesForOrder(int order) {
        requireOrder(order);
        return DiagonalForm.stateCount(leadingSpectrum(order).values());
    }

    /**
     * Returns the spectrum of the balanced truncation to the leading {@code order} states; the last
     * result is cached so that a following {@link SystemReducer#reduce} does not repeat it.
     */
    synchronized Spectrum leadingSpectrum(int order) {
        if (order == cachedOrder) {
            return cachedSpectrum;
        }
        int[] real =
                realIndices(
                        RankSelection.select(order, numericalOrder, SelectionMode.LARGEST, null));
        Spectrum values = Kernels.spectrum(balancing.truncate(real).getA());
        cachedOrder = order;
        cachedSpectrum = values;
        return values;
    }

    /**
     * Returns the largest order whose balanced truncation yields at most {@code states} layer
     * states, e.g. to cut a layer to a fixed size.
     *
     * @param states the wanted number of layer states, at least 1
     * @return the order, at least 1
     * @throws IllegalArgumentException if {@code states < 1}
     */
    int orderForStateCount(int states) {
        if (states < 1) {
            throw new IllegalArgumentException("states must be at least 1, got " + states);
        }
        if (numericalOrder == 0) {
            return 1;
        }
        int start = mode == GramianMode.REAL_OUTPUT ? 2 * states : states;
        for (int order = Math.min(start, numericalOrder); order > 1; order--) {
            if (statesForOrder(order) <= states) {
                return order;
            }
        }
        return 1;
    }

    BalancedTruncation getBalancing() {
        return balancing;
    }

    /** Maps kept states in this analysis' units to balanced real coordinates. */
    int[] realIndices(int[] states) {
        if (mode == GramianMode.REAL_OUTPUT) {
            return states.clone();
        }
        int[] real = new int[2 * states.length];
        for (int i = 0; i < states.length; i++) {
            real[2 * i] = 2 * states[i];
            real[2 * i + 1] = 2 * states[i] + 1;
        }
        return real;
    }

    void requireOrder(int order) {
        if (order < 1 || order > hsv.length) {
            throw new IllegalArgumentException(
                    "Requested order "
                            + order
                            + " is outside the valid range [1, "
                            + hsv.length
                            + "] ("
                            + (mode == GramianMode.REAL_OUTPUT
                                    ? "real states of the 2n-dimensional real system"
                                    : "complex states")
                            + ")");
        }
        if (order > numericalOrder) {
            throw new IllegalArgumentException(
                    "Requested order "
                            + order
                            + " exceeds the numerical minimal order "
                            + numericalOrder
                            + ": the remaining Hankel singular values are numerically zero"
                            + " (uncontrollable or unobservable directions) and cannot be kept;"
                            + " the valid range is [1, "
                            + numericalOrder
                            + "]");
        }
    }
}
