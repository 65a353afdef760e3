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
 *
 * <p>Input-weighted, the surrogate drives the state with the scan's actual inputs {@code dt_t
 * xc_t}: per head {@code E[B B^T]} becomes {@code E[e_t B_t B_t^T]} with {@code e_t = ||dt_t
 * xc_{t,h}||^2} over the head's rows, so steps with large inputs weigh more and the heads' decays
 * no longer act as a common factor.
 */
final class AveragedLtiSurrogate {

    private final int stateSize;
    private final int heads;
    private final boolean inputWeighted;
    private final double[][][] bMoment;
    private final double[][] cMoment;
    private final double[] decaySum;
    private long samples;

    /**
     * Creates an empty surrogate.
     *
     * @param stateSize the state size {@code N}
     * @param heads the number of heads {@code H}
     * @param inputWeighted whether {@code B_t B_t^T} is weighted by the energy of the step's scan
     *     input per head
     */
    AveragedLtiSurrogate(int stateSize, int heads, boolean inputWeighted) {
        if (stateSize < 1 || heads < 1) {
            throw new IllegalArgumentException(
                    "the state size and the number of heads must be at least 1, got "
                            + stateSize
                            + " and "
                            + heads);
        }
        this.stateSize = stateSize;
        this.heads = heads;
        this.inputWeighted = inputWeighted;
        bMoment = new double[heads][stateSize][stateSize];
        cMoment = new double[stateSize][stateSize];
        decaySum = new double[heads];
    }

    /**
     * Adds the terms of some steps.
     *
     * @param b the maps {@code B_t}, one row of {@code N} per step, flattened
     * @param c the maps {@code C_t}, the same layout
     * @param logDecay the log decays {@code log a_t}, one row of {@code H} per step, flattened
     * @param scanInput the scan's inputs {@code dt_t xc_t}, one row of {@code H x P} per step
     *     (heads outermost), flattened
     */
    void add(double[] b, double[] c, double[] logDecay, double[] scanInput) {
        int steps = b.length / stateSize;
        int rows = steps == 0 ? 0 : scanInput.length / (steps * heads);
        if (b.length != (long) steps * stateSize
                || c.length != b.length
                || logDecay.length != (long) steps * heads
                || scanInput.length != (long) steps * heads * rows) {
            throw new IllegalArgumentException(
                    "expected rows of "
                            + stateSize
                            + " (B, C) and "
                            + heads
                            + " (log decays) and a multiple of "
                            + heads
                            + " (scan inputs) for the same steps, got "
                            + b.length
                            + ", "
                            + c.length
                            + ", "
                            + logDecay.length
                            + " and "
                            + scanInput.length
                            + " values");
        }
        for (int t = 0; t < steps; t++) {
            int row = t * stateSize;
            for (int i = 0; i < stateSize; i++) {
                for (int j = 0; j < stateSize; j++) {
                    cMoment[i][j] += c[row + i] * c[row + j];
                }
            }
            for (int h = 0; h < heads; h++) {
                decaySum[h] += Math.exp(logDecay[t * heads + h]);
                double weight = inputWeighted ? energy(scanInput, (t * heads + h) * rows, rows) : 1;
                for (int i = 0; i < stateSize; i++) {
                    for (int j = 0; j < stateSize; j++) {
                        bMoment[h][i][j] += weight * b[row + i] * b[row + j];
                    }
                }
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
        double[] factors = decayFactors();
        double[][] out = new double[stateSize][stateSize];
        for (int h = 0; h < heads; h++) {
            accumulate(out, bMoment[h], factors[h]);
        }
        return out;
    }

    /**
     * Returns the surrogate's observability Gramian {@code Q}.
     *
     * @return {@code N x N}
     * @throws IllegalStateException if nothing was added or a mean decay is 1
     */
    double[][] observability() {
        double total = 0;
        for (double f : decayFactors()) {
            total += f;
        }
        double[][] out = new double[stateSize][stateSize];
        accumulate(out, cMoment, total);
        return out;
    }

    /**
     * Balances the surrogate's Gramians.
     *
     * @return the balancing of {@code P} against {@code Q}
     */
    EmpiricalBalancing balancing() {
        return EmpiricalBalancing.of(controllability(), observability());
    }

    /** {@code 1 / (1 - abar_h^2)} per head. */
    private double[] decayFactors() {
        double[] decays = meanDecays();
        double[] factors = new double[heads];
        for (int h = 0; h < heads; h++) {
            double a = decays[h];
            if (!(a < 1)) {
                throw new IllegalStateException(
                        "a head's mean decay is "
                                + a
                                + ", not below 1: the averaged surrogate has no finite Gramians");
            }
            factors[h] = 1 / (1 - a * a);
        }
        return factors;
    }

    /** {@code out += moment / samples * factor}. */
    private void accumulate(double[][] out, double[][] moment, double factor) {
        for (int i = 0; i < stateSize; i++) {
            for (int j = 0; j < stateSize; j++) {
                out[i][j] += moment[i][j] / samples * factor;
            }
        }
    }

    private static double energy(double[] values, int from, int count) {
        double sum = 0;
        for (int k = from; k < from + count; k++) {
            sum += values[k] * values[k];
        }
        return sum;
    }

    private void requireSamples() {
        if (samples == 0) {
            throw new IllegalStateException("no steps were added to the surrogate");
        }
    }
}
