package io.github.compressm.listener;

import io.github.compressm.ssm.SignalRecording;
import java.util.List;

/**
 * Records the signal moments of the layers that need them before a check (data-weighted linear
 * layers, every selective layer), while checks are still to come.
 *
 * <p>A check's moments come from at most {@value #BATCHES_PER_CHECK} training batches, evenly
 * spread over the steps since the previous check and ending with the check's own step: enough rows
 * for moments of a few thousand entries, at a recording cost that no longer grows with the distance
 * between checks. Recording starts with the first batch, so the first check's moments cover every
 * step before it, and stops after the last check.
 */
final class SignalCollection {

    /** The most training batches whose signals enter one check's moments. */
    static final int BATCHES_PER_CHECK = 16;

    private List<SignalRecording> recordings = List.of();
    private boolean recording;
    private long baselineNanos;

    /**
     * Starts recording the layers that need it, from the next training batch on.
     *
     * @param layers the run's layers
     */
    void begin(List<CompressibleLayer> layers) {
        recordings =
                layers.stream()
                        .filter(CompressibleLayer::recordsSignals)
                        .map(layer -> layer.getBlock().getSignalMoments())
                        .toList();
        baselineNanos = recordings.stream().mapToLong(SignalRecording::getRecordingNanos).sum();
        recording = !recordings.isEmpty();
        recordings.forEach(SignalRecording::start);
    }

    /** Reads the loss gradients of the batch just back-propagated; call after the backward pass. */
    void afterBackward() {
        if (recording) {
            recordings.forEach(SignalRecording::collectGradient);
        }
    }

    /**
     * Decides whether the next batch is recorded, and stops after the last check.
     *
     * @param step the step just done
     * @param schedule the checks
     */
    void afterStep(long step, CompressionSchedule schedule) {
        if (!recording) {
            return;
        }
        if (schedule.isAfterLastCheck(step)) {
            stop();
            return;
        }
        boolean next = records(step + 1, schedule);
        recordings.forEach(
                r -> {
                    if (next) {
                        r.start();
                    } else {
                        r.pause();
                    }
                });
    }

    /** Stops recording and forgets what was recorded. */
    void stop() {
        if (recording) {
            recordings.forEach(SignalRecording::stop);
            recording = false;
        }
    }

    /**
     * Returns the wall time spent recording in this run.
     *
     * @return milliseconds
     */
    double getMillis() {
        long nanos = recordings.stream().mapToLong(SignalRecording::getRecordingNanos).sum();
        return (nanos - baselineNanos) / 1e6;
    }

    /**
     * Returns whether a step's batch is recorded: every {@code s}-th step counted back from the
     * next check, {@code s} the smallest stride that keeps at most {@link #BATCHES_PER_CHECK}
     * batches per check interval.
     *
     * @param step the step, from 1
     * @param schedule the checks
     * @return true if the step's signals enter the next check's moments
     */
    static boolean records(long step, CompressionSchedule schedule) {
        long next = schedule.nextCheckFrom(step);
        if (next < 0) {
            return false;
        }
        long stride = (schedule.getInterval() + BATCHES_PER_CHECK - 1) / BATCHES_PER_CHECK;
        return (next - step) % Math.max(1, stride) == 0;
    }
}
