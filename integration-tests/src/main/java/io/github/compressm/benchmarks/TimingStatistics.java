package io.github.compressm.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Summary statistics of timed calls: the minimum and the median, in the calls' unit, and the median
 * ratio of two series timed round by round.
 */
final class TimingStatistics {

    private TimingStatistics() {}

    /**
     * The smallest time.
     *
     * @param times the timed calls
     * @return their minimum, NaN for none
     */
    static double min(List<Double> times) {
        return times.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /**
     * The median time, the mean of the two middle ones for an even count.
     *
     * @param times the timed calls
     * @return their median, NaN for none
     */
    static double median(List<Double> times) {
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * The median of the ratios {@code reference[r] / times[r]} of two series timed in the same
     * rounds: how many times faster {@code times} ran than {@code reference}, call by call. A drift
     * of the machine's speed from round to round moves both calls of a round alike, so it leaves
     * their ratio alone where it moves the two medians apart. Rounds in which either series has no
     * positive time are left out.
     *
     * @param reference the reference series, one time per round
     * @param times the compared series, one time per round
     * @return the median ratio, NaN for no usable round
     */
    static double pairedSpeedUp(List<Double> reference, List<Double> times) {
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < Math.min(reference.size(), times.size()); r++) {
            if (reference.get(r) > 0 && times.get(r) > 0) {
                ratios.add(reference.get(r) / times.get(r));
            }
        }
        return median(ratios);
    }
}
