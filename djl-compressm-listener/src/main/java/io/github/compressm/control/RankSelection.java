package io.github.compressm.control;

import java.util.Arrays;
import java.util.Random;

/**
 * Chooses how many balanced states to keep and which.
 *
 * <p>Orders are counted in the units of the Hankel singular values handed in (real states for
 * {@link GramianMode#REAL_OUTPUT}, complex states for {@link
 * GramianMode#COMPLEX_OUTPUT_REFERENCE}). Every result is clamped to {@code [min(minOrder,
 * maxOrder), maxOrder]}, where {@code maxOrder} is normally the numerical minimal order: states
 * with numerically zero Hankel singular values carry nothing and cannot be kept.
 */
public final class RankSelection {

    private RankSelection() {}

    /**
     * Returns the smallest order {@code r} whose leading Hankel singular values hold at least
     * {@code 1 - tau} of their sum: {@code sum_{i <= r} sigma_i / sum_i sigma_i >= 1 - tau}. Like
     * the reference implementation this sums the values, not their squares.
     *
     * @param hsv Hankel singular values, descending, non-negative
     * @param tau the fraction of Hankel energy that may be discarded, in {@code [0, 1)}
     * @param minOrder the least order to return, at least 1
     * @param maxOrder the largest order to return, in {@code [1, hsv.length]}
     * @return the order, in {@code [min(minOrder, maxOrder), maxOrder]}; {@code minOrder} clamped
     *     if all values are zero
     * @throws IllegalArgumentException if {@code tau}, {@code minOrder} or {@code maxOrder} is out
     *     of range
     */
    public static int orderForTolerance(double[] hsv, double tau, int minOrder, int maxOrder) {
        requireTolerance(tau);
        requireBounds(hsv.length, minOrder, maxOrder);
        double total = 0;
        for (double s : hsv) {
            total += s;
        }
        int order = hsv.length;
        if (total > 0) {
            double target = (1 - tau) * total;
            double sum = 0;
            for (int i = 0; i < hsv.length; i++) {
                sum += hsv[i];
                // A relative slack of a few ulps keeps tau = 0 from demanding round-off noise.
                if (sum >= target * (1 - 4 * Math.ulp(1.0))) {
                    order = i + 1;
                    break;
                }
            }
        } else {
            order = minOrder;
        }
        return clamp(order, minOrder, maxOrder);
    }

    /**
     * Returns {@code ceil(fraction * fullOrder)}, clamped.
     *
     * @param fullOrder the number of Hankel singular values
     * @param fraction the kept fraction, in {@code (0, 1]}
     * @param minOrder the least order to return, at least 1
     * @param maxOrder the largest order to return, in {@code [1, fullOrder]}
     * @return the order, in {@code [min(minOrder, maxOrder), maxOrder]}
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static int orderForFraction(int fullOrder, double fraction, int minOrder, int maxOrder) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException(
                    "The kept fraction must be in (0, 1], got " + fraction);
        }
        requireBounds(fullOrder, minOrder, maxOrder);
        int order = (int) Math.ceil(fraction * fullOrder - 1e-9);
        return clamp(order, minOrder, maxOrder);
    }

    /**
     * Returns which balanced states to keep, ascending.
     *
     * <p>{@link SelectionMode#LARGEST}: {@code 0 .. order-1}. {@link SelectionMode#SMALLEST}: the
     * last {@code order} of the {@code available} states. {@link SelectionMode#RANDOM}: {@code
     * order} distinct states drawn uniformly from the {@code available} by {@code random}.
     *
     * @param order how many states to keep, in {@code [1, available]}
     * @param available how many leading states may be kept (the numerical order)
     * @param mode the selection mode
     * @param random the source for {@link SelectionMode#RANDOM}; ignored otherwise, may then be
     *     null
     * @return the kept state indices, ascending
     * @throws IllegalArgumentException if {@code order} is out of range, or {@code random} is null
     *     for {@link SelectionMode#RANDOM}
     */
    public static int[] select(int order, int available, SelectionMode mode, Random random) {
        if (order < 1 || order > available) {
            throw new IllegalArgumentException(
                    "Cannot keep " + order + " states: the valid range is [1, " + available + "]");
        }
        int[] kept = new int[order];
        switch (mode) {
            case LARGEST:
                for (int i = 0; i < order; i++) {
                    kept[i] = i;
                }
                return kept;
            case SMALLEST:
                for (int i = 0; i < order; i++) {
                    kept[i] = available - order + i;
                }
                return kept;
            case RANDOM:
                if (random == null) {
                    throw new IllegalArgumentException(
                            "SelectionMode.RANDOM needs a (seeded) java.util.Random, got null");
                }
                int[] pool = new int[available];
                for (int i = 0; i < available; i++) {
                    pool[i] = i;
                }
                for (int i = 0; i < order; i++) {
                    int j = i + random.nextInt(available - i);
                    int t = pool[i];
                    pool[i] = pool[j];
                    pool[j] = t;
                }
                System.arraycopy(pool, 0, kept, 0, order);
                Arrays.sort(kept);
                return kept;
            default:
                throw new IllegalArgumentException("Unknown selection mode " + mode);
        }
    }

    /**
     * Checks a tolerance.
     *
     * @param tau the fraction of Hankel energy that may be discarded
     * @throws IllegalArgumentException unless {@code tau} is in {@code [0, 1)}
     */
    public static void requireTolerance(double tau) {
        if (!(tau >= 0 && tau < 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1), got " + tau);
        }
    }

    private static void requireBounds(int full, int minOrder, int maxOrder) {
        if (minOrder < 1) {
            throw new IllegalArgumentException("minOrder must be at least 1, got " + minOrder);
        }
        if (maxOrder < 1 || maxOrder > full) {
            throw new IllegalArgumentException(
                    "maxOrder must be in [1, " + full + "], got " + maxOrder);
        }
    }

    private static int clamp(int order, int minOrder, int maxOrder) {
        return Math.min(maxOrder, Math.max(Math.min(minOrder, maxOrder), order));
    }
}
