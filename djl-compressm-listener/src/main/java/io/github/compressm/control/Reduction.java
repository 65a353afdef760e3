package io.github.compressm.control;

import io.github.compressm.ssm.DiagonalRealization;

/**
 * The result of reducing one layer: the smaller diagonal realisation for the block, and what was
 * kept and lost.
 *
 * <p>Orders, Hankel singular values and energies are in the units of {@link #getMode()} (see {@link
 * HankelAnalysis}). In {@link GramianMode#REAL_OUTPUT} mode the H-infinity error of the reduced
 * layer is at most {@code 2 *} {@link #getDiscardedSum()} (up to eigenvalue clamping).
 */
public final class Reduction {

    private final GramianMode mode;
    private final SelectionMode selection;
    private final DiagonalRealization realization;
    private final RealSystem reducedSystem;
    private final double[] hsv;
    private final int[] kept;
    private final double energyKept;
    private final long elapsedMillis;

    Reduction(
            GramianMode mode,
            SelectionMode selection,
            DiagonalRealization realization,
            RealSystem reducedSystem,
            double[] hsv,
            int[] kept,
            long elapsedMillis) {
        this.mode = mode;
        this.selection = selection;
        this.realization = realization;
        this.reducedSystem = reducedSystem;
        this.hsv = hsv.clone();
        this.kept = kept.clone();
        this.energyKept = StateSpectrum.energyKept(hsv, kept);
        this.elapsedMillis = elapsedMillis;
    }

    /**
     * Returns the reduced layer system, ready for {@code DiagonalSsmBlock.setRealization}.
     *
     * @return the diagonal realisation; every {@code |lambda|} at most the reducer's max modulus
     */
    public DiagonalRealization getRealization() {
        return realization;
    }

    /**
     * Returns the reduced real system in balanced coordinates (before diagonalisation), of order
     * {@link #getOrder()} real states (twice that in reference mode).
     *
     * @return the reduced real system; {@code null} only for a layer whose input-output map is zero
     */
    RealSystem getReducedSystem() {
        return reducedSystem;
    }

    /**
     * Returns the Gramian mode used.
     *
     * @return the mode
     */
    public GramianMode getMode() {
        return mode;
    }

    /**
     * Returns the selection mode used.
     *
     * @return the selection mode
     */
    public SelectionMode getSelectionMode() {
        return selection;
    }

    /**
     * Returns all Hankel singular values of the original layer, descending.
     *
     * @return a copy
     */
    public double[] getHankelSingularValues() {
        return hsv.clone();
    }

    /**
     * Returns the indices (into {@link #getHankelSingularValues()}) of the kept balanced states.
     *
     * @return a copy, ascending
     */
    public int[] getKeptStates() {
        return kept.clone();
    }

    /**
     * Returns the kept order, in Hankel singular value units.
     *
     * @return the number of kept balanced states
     */
    public int getOrder() {
        return kept.length;
    }

    /**
     * Returns the number of layer (complex diagonal) states of the result.
     *
     * @return {@code getRealization().getStateSize()}
     */
    public int getStateCount() {
        return realization.getStateSize();
    }

    /**
     * Returns the kept share of the Hankel energy.
     *
     * @return {@code sum of kept sigma / sum of all sigma}, 1 if all are zero
     */
    public double getEnergyKept() {
        return energyKept;
    }

    /**
     * Returns the sum of the discarded Hankel singular values.
     *
     * @return {@code sum of all sigma - sum of kept sigma}, never negative
     */
    public double getDiscardedSum() {
        double sum = 0;
        boolean[] isKept = new boolean[hsv.length];
        for (int i : kept) {
            isKept[i] = true;
        }
        for (int i = 0; i < hsv.length; i++) {
            if (!isKept[i]) {
                sum += hsv[i];
            }
        }
        return sum;
    }

    /**
     * Returns the wall time of the reduction.
     *
     * @return milliseconds, including the analysis if {@link SystemReducer} computed it
     */
    public long getElapsedMillis() {
        return elapsedMillis;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "Reduction{mode="
                + mode
                + ", selection="
                + selection
                + ", order="
                + getOrder()
                + "/"
                + hsv.length
                + ", states="
                + getStateCount()
                + ", energyKept="
                + getEnergyKept()
                + ", discardedSum="
                + getDiscardedSum()
                + ", elapsedMillis="
                + elapsedMillis
                + '}';
    }
}
