package io.github.compressm.listener;

import java.util.Arrays;

/**
 * The training steps at which CompreSSM checks its layers.
 *
 * <p>Steps count optimizer steps from 1 (the {@code s}-th training batch is step {@code s}). The
 * window holds the first {@code floor(warmupFraction * totalSteps)} steps (at least one); checks
 * run every {@code interval} steps inside it, at {@code interval, 2 interval, ...}, and never after
 * the window. With a number of checks {@code c} instead of an interval, the interval is {@code
 * max(1, floor(window / c))}, so the last check falls at or before the end of the window.
 *
 * <p>A schedule can be extended past the window one check at a time ({@link #withExtraCheck()}),
 * for runs whose layers are still shrinking when the window closes.
 */
final class CompressionSchedule {

    private final long totalSteps;
    private final long window;
    private final long interval;
    private final long[] checkSteps;

    private CompressionSchedule(long totalSteps, long window, long interval) {
        this(totalSteps, window, interval, inWindow(window, interval));
    }

    private CompressionSchedule(long totalSteps, long window, long interval, long[] checkSteps) {
        this.totalSteps = totalSteps;
        this.window = window;
        this.interval = interval;
        this.checkSteps = checkSteps;
    }

    private static long[] inWindow(long window, long interval) {
        int count = (int) Math.min(Integer.MAX_VALUE, window / interval);
        long[] steps = new long[count];
        for (int i = 0; i < count; i++) {
            steps[i] = (i + 1) * interval;
        }
        return steps;
    }

    /**
     * Creates a schedule with a fixed number of checks in the window.
     *
     * @param totalSteps the total number of training steps, positive
     * @param warmupFraction the fraction of steps in the window, in (0, 1]
     * @param checks the number of checks, positive
     * @return the schedule
     */
    static CompressionSchedule withChecks(long totalSteps, double warmupFraction, int checks) {
        long window = window(totalSteps, warmupFraction);
        return new CompressionSchedule(totalSteps, window, Math.max(1, window / checks));
    }

    /**
     * Creates a schedule with a fixed interval between checks.
     *
     * @param totalSteps the total number of training steps, positive
     * @param warmupFraction the fraction of steps in the window, in (0, 1]
     * @param interval the steps between checks, positive
     * @return the schedule
     */
    static CompressionSchedule withInterval(long totalSteps, double warmupFraction, long interval) {
        return new CompressionSchedule(totalSteps, window(totalSteps, warmupFraction), interval);
    }

    private static long window(long totalSteps, double warmupFraction) {
        return Math.max(1, (long) Math.floor(warmupFraction * totalSteps));
    }

    /**
     * Returns this schedule with one more check, {@code interval} steps after the last one (or at
     * the first interval if there is none), past the window.
     *
     * @return the extended schedule, or {@code null} if that step is beyond the total
     */
    CompressionSchedule withExtraCheck() {
        long next = getLastCheckStep() + interval;
        if (next > totalSteps) {
            return null;
        }
        long[] steps = Arrays.copyOf(checkSteps, checkSteps.length + 1);
        steps[checkSteps.length] = next;
        return new CompressionSchedule(totalSteps, window, interval, steps);
    }

    /**
     * Returns the step of the last check.
     *
     * @return the step, 0 if the schedule has no check
     */
    long getLastCheckStep() {
        return checkSteps.length == 0 ? 0 : checkSteps[checkSteps.length - 1];
    }

    /**
     * Returns whether a step is the last check of the schedule.
     *
     * @param step the step, from 1
     * @return true at the last check step
     */
    boolean isLastCheck(long step) {
        return checkSteps.length > 0 && step == getLastCheckStep();
    }

    /**
     * Returns the first check at or after a step.
     *
     * @param step the step, from 1
     * @return the check's step, or -1 if no check is left
     */
    long nextCheckFrom(long step) {
        int i = Arrays.binarySearch(checkSteps, step);
        int next = i >= 0 ? i : -i - 1;
        return next < checkSteps.length ? checkSteps[next] : -1;
    }

    /**
     * Returns whether a check runs at a step.
     *
     * @param step the step, from 1
     * @return true at a scheduled check
     */
    boolean isCheckStep(long step) {
        return Arrays.binarySearch(checkSteps, step) >= 0;
    }

    /**
     * Returns whether every check is done once this step has run.
     *
     * @param step the step, from 1
     * @return true at and after the last check step
     */
    boolean isAfterLastCheck(long step) {
        return checkSteps.length == 0 || step >= checkSteps[checkSteps.length - 1];
    }

    /**
     * Returns how many checks are due at or before a step.
     *
     * @param step the step, from 0
     * @return the number of check steps not after {@code step}
     */
    int checksUpTo(long step) {
        int i = Arrays.binarySearch(checkSteps, step);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /**
     * Returns the total number of training steps.
     *
     * @return the total
     */
    long getTotalSteps() {
        return totalSteps;
    }

    /**
     * Returns the last step of the window.
     *
     * @return the window length in steps
     */
    long getWindow() {
        return window;
    }

    /**
     * Returns the steps between checks.
     *
     * @return the interval
     */
    long getInterval() {
        return interval;
    }

    /**
     * Returns the check steps, ascending.
     *
     * @return a copy of the steps
     */
    long[] getCheckSteps() {
        return checkSteps.clone();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "CompressionSchedule{totalSteps="
                + totalSteps
                + ", window="
                + window
                + ", checks at "
                + Arrays.toString(checkSteps)
                + '}';
    }
}
