package io.github.compressm.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparison's schedule: warm-ups of every measurement, then the timed calls in rounds, every
 * round running a few timed calls of every measurement in the given order, so that drift on a
 * shared machine hits all measurements alike.
 */
final class TimedRounds {

    /** One timed measurement: a side, what it runs, the pass and how to time it. */
    record Measurement(String side, String subject, String pass, Timer timer) {}

    /** Times a number of calls of one measurement. */
    @FunctionalInterface
    interface Timer {
        /**
         * Makes {@code count} timed calls.
         *
         * @param count the number of calls
         * @return each call's time in milliseconds
         * @throws IOException if the peer process fails
         */
        double[] time(int count) throws IOException;
    }

    /** Hears every batch of calls, for the progress log. */
    @FunctionalInterface
    interface Listener {
        /**
         * Called after a batch of calls.
         *
         * @param phase "warm-up" or the round
         * @param measurement the measurement
         * @param times the calls' times in milliseconds
         */
        void timed(String phase, Measurement measurement, double[] times);
    }

    private final int warmups;
    private final int runs;
    private final int runsPerRound;

    /**
     * A schedule.
     *
     * @param warmups untimed calls per measurement before the first round
     * @param runs timed calls per measurement
     * @param runsPerRound timed calls of one measurement before switching to the next
     */
    TimedRounds(int warmups, int runs, int runsPerRound) {
        if (warmups < 0 || runs < 1 || runsPerRound < 1) {
            throw new IllegalArgumentException(
                    "need --warmups >= 0, --runs >= 1 and --runs-per-round >= 1");
        }
        this.warmups = warmups;
        this.runs = runs;
        this.runsPerRound = runsPerRound;
    }

    /**
     * The number of rounds.
     *
     * @return {@code ceil(runs / runsPerRound)}
     */
    int rounds() {
        return (runs + runsPerRound - 1) / runsPerRound;
    }

    /**
     * Runs the schedule.
     *
     * @param order the measurements, in the order every round runs them
     * @param listener hears every batch of calls, warm-ups included
     * @return the timed calls of every measurement (warm-ups excluded), in milliseconds, in the
     *     given order
     * @throws IOException if the peer process fails
     */
    Map<Measurement, List<Double>> run(List<Measurement> order, Listener listener)
            throws IOException {
        if (warmups > 0) {
            for (Measurement m : order) {
                listener.timed("warm-up", m, m.timer().time(warmups));
            }
        }
        Map<Measurement, List<Double>> times = new LinkedHashMap<>();
        for (Measurement m : order) {
            times.put(m, new ArrayList<>());
        }
        int rounds = rounds();
        for (int round = 0; round < rounds; round++) {
            int count = Math.min(runsPerRound, runs - round * runsPerRound);
            for (Measurement m : order) {
                double[] t = m.timer().time(count);
                listener.timed("round " + (round + 1) + "/" + rounds, m, t);
                for (double v : t) {
                    times.get(m).add(v);
                }
            }
        }
        return times;
    }
}
