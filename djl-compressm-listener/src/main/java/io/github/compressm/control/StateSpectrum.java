package io.github.compressm.control;

/**
 * What a truncation rule reads of a layer's balanced system: its Hankel singular values and how
 * many layer states a truncation to a given order keeps. Implemented by the closed-form analysis of
 * linear time-invariant layers ({@link HankelAnalysis}) and by the empirical balancing of selective
 * layers ({@link EmpiricalBalancing}).
 */
public interface StateSpectrum {

    /**
     * Returns the Hankel singular values, sorted descending; their count is the full order.
     *
     * @return a copy of the values
     */
    double[] getHankelSingularValues();

    /**
     * Returns the numerical order: how many leading Hankel singular values are distinguishable from
     * zero, the largest order a truncation can keep.
     *
     * @return the numerical order, at least 0
     */
    int getNumericalOrder();

    /**
     * Returns how many layer states a truncation to this order keeps, with the largest values kept.
     *
     * @param order the order, in {@code [1, getNumericalOrder()]}
     * @return the layer's state size after such a truncation
     * @throws IllegalArgumentException if {@code order} is out of range
     */
    int statesForOrder(int order);

    /**
     * Returns the share of the Hankel energy ({@code sum sigma}) that a truncation keeps.
     *
     * @param hsv the Hankel singular values, each at least 0
     * @param kept the indices into {@code hsv} of the kept states, each at most once
     * @return {@code sum of kept sigma / sum of all sigma}, in [0, 1]; 1 if all are zero
     */
    static double energyKept(double[] hsv, int[] kept) {
        double keptSum = 0;
        for (int i : kept) {
            keptSum += hsv[i];
        }
        double total = 0;
        for (double s : hsv) {
            total += s;
        }
        return total > 0 ? keptSum / total : 1;
    }
}
