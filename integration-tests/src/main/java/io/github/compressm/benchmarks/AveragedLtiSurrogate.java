package io.github.compressm.benchmarks;

import io.github.compressm.control.EmpiricalBalancing;

/**
 * The averaged time-invariant surrogate of a selective layer ({@link
 * io.github.compressm.ssm.SelectiveSsmBlock}), balanced as a linear time-invariant system: per head
 * {@code h} the decay {@code a_t} is replaced by its mean {@code abar_h} and the maps {@code B_t},
 * {@code C_t} by their second moments, so the surrogate's Gramians are
 *
 * <pre>
 *   P = sum_h E[B B^T] / (1 - abar_h^2),   Q = sum_h E[C C^T] / (1 - abar_h^2)
 * </pre>
 *
 * the Gramians of {@code s_t = abar_h s_{t-1} + B w_t}, {@code y_t = C^T s_t} for white unit inputs
 * {@code w_t} and {@code B}, {@code C} drawn with the recorded moments, summed over the heads. The
 * heads share {@code B_t} and {@code C_t}, so the averaged decays scale both Gramians by the same
 * factor and leave the balancing basis that of {@code E[B B^T]} against {@code E[C C^T]}.
 */
final class AveragedLtiSurrogate {

    private final int stateSize;
    private final int heads;
    private final double[][] bMoment;
    private final double[][] cMoment;
    private final double[] decaySum;
    private long samples;

    /**
     * Creates an empty surrogate.
     *
     * @param stateSize the state size {@code N}
     * @param heads the number of heads {@code H}
     */
    AveragedLtiSurrogate(int stateSize, int heads) {
        if (stateSize < 1 || heads < 1) {
            throw new IllegalArgumentException(
                    "the state size and the number of heads must be at least 1, got "
                            + stateSize
                            + " and "
                            + heads);
        }
        this.stateSize = stateSize;
        this.heads = heads;
        bMoment = new double[stateSize][stateSize];
        cMoment = new double[stateSize][stateSize];
        decaySum = new double[heads];
    }

    /**
     * Adds the terms of some steps.
     *
     * @param b the maps {@code B_t}, one row of {@code N} per step, flattened
     * @param c the maps {@code C_t}, the same layout
     * @param logDecay the log decays {@code log a_t}, one row of {@code H} per step, flattened
     */
    void add(double[] b, double[] c, double[] logDecay) {
        int steps = b.length / stateSize;
        if (b.length != (long) steps * stateSize
                || c.length != b.length
                || logDecay.length != (long) steps * heads) {
            throw new IllegalArgumentException(
                    "expected rows of "
                            + stateSize
                            + " (B, C) and "
                            + heads
                            + " (log decays) for the same steps, got "
                            + b.length
                            + ", "
                            + c.length
                            + " and "
                            + logDecay.length
                            + " values");
        }
        for (int t = 0; t < steps; t++) {
            int row = t * stateSize;
            for (int i = 0; i < stateSize; i++) {
                for (int j = 0; j < stateSize; j++) {
                    bMoment[i][j] += b[row + i] * b[row + j];
                    cMoment[i][j] += c[row + i] * c[row + j];
                }
            }
            for (int h = 0; h < heads; h++) {
                decaySum[h] += Math.exp(logDecay[t * heads + h]);
            }
        }
        samples += steps;
    }

    /**
     * Returns the mean decay of every head.
     *
     * @return {@code abar_h}
     */
    double[] meanDecays() {
        requireSamples();
        double[] mean = new double[heads];
        for (int h = 0; h < heads; h++) {
            mean[h] = decaySum[h] / samples;
        }
        return mean;
    }

    /**
     * Returns the surrogate's controllability Gramian {@code P}.
     *
     * @return {@code N x N}
     * @throws IllegalStateException if nothing was added or a mean decay is 1
     */
    double[][] controllability() {
        return scaled(bMoment);
    }

    /**
     * Returns the surrogate's observability Gramian {@code Q}.
     *
     * @return {@code N x N}
     * @throws IllegalStateException if nothing was added or a mean decay is 1
     */
    double[][] observability() {
        return scaled(cMoment);
    }

    /**
     * Balances the surrogate's Gramians.
     *
     * @return the balancing of {@code P} against {@code Q}
     */
    EmpiricalBalancing balancing() {
        return EmpiricalBalancing.of(controllability(), observability());
    }

    private double[][] scaled(double[][] moment) {
        double factor = 0;
        for (double a : meanDecays()) {
            if (!(a < 1)) {
                throw new IllegalStateException(
                        "a head's mean decay is "
                                + a
                                + ", not below 1: the averaged surrogate has no finite Gramians");
            }
            factor += 1 / (1 - a * a);
        }
        double[][] out = new double[stateSize][stateSize];
        for (int i = 0; i < stateSize; i++) {
            for (int j = 0; j < stateSize; j++) {
                out[i][j] = moment[i][j] / samples * factor;
            }
        }
        return out;
    }

    private void requireSamples() {
        if (samples == 0) {
            throw new IllegalStateException("no steps were added to the surrogate");
        }
    }
}
