package io.github.compressm.control;

/**
 * Which balanced states a reduction keeps.
 *
 * <p>All modes keep a subset of the coordinates of the balanced realisation (where both Gramians
 * equal {@code diag(sigma)}), as the paper's ablation does; only {@link #LARGEST} is balanced
 * truncation proper. Coordinates with numerically zero Hankel singular values carry no input-output
 * energy and cannot be balanced, so no mode ever selects them.
 */
public enum SelectionMode {

    /** Keep the states with the largest Hankel singular values: balanced truncation (default). */
    LARGEST,

    /** Keep the states with the smallest (non-zero) Hankel singular values: an ablation. */
    SMALLEST,

    /**
     * Keep uniformly random (non-zero) balanced states, drawn from a seeded random: an ablation.
     */
    RANDOM
}
