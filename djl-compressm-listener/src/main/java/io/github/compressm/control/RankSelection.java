package io.github.compressm.control;

import java.util.Arrays;
import java.util.Random;

/**
 * Chooses which balanced states a reduction keeps ({@link SelectionMode}); how many is decided by
 * {@link TruncationRule}.
 */
final class RankSelection {

    private RankSelection() {}

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
    static int[] select(int order, int available, SelectionMode mode, Random random) {
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
}
