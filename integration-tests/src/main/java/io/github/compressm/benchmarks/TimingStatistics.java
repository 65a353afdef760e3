package io.github.compressm.benchmarks;

import java.util.List;

/** Summary statistics of timed calls: the minimum and the median, in the calls' unit. */
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
}
