package io.github.compressm.examples.training;

import ai.djl.training.listener.TrainingListener;
import io.github.compressm.listener.CompreSsmListener;
import io.github.compressm.listener.CompressionReport;
import io.github.compressm.listener.CompressionSettings;
import java.util.Arrays;

/**
 * In-training compression as the examples use it: the {@link CompreSsmListener} built from the
 * run's {@link CompressionSettings}, and what the runner reads from it during and after training.
 */
final class CompressionPlugin {

    private final CompreSsmListener listener;

    /** Fixed on the first training batch; read once, not per step. */
    private long[] checkSteps = new long[0];

    /**
     * Creates the listener for a run.
     *
     * @param settings how the listener compresses
     * @param epochs the run's training epochs
     */
    CompressionPlugin(CompressionSettings settings, int epochs) {
        listener = CompreSsmListener.builder().optSettings(settings).setTotalEpochs(epochs).build();
    }

    /**
     * Returns the listener that compresses the SSM layers while training.
     *
     * @return the listener
     */
    TrainingListener listener() {
        return listener;
    }

    /**
     * Returns the listener's report so far.
     *
     * @return the report
     */
    CompressionReport report() {
        return listener.getReport();
    }

    /**
     * Returns the time spent on compression so far: the checks and, with data-aware Gramians, the
     * layers' recording of signal moments.
     *
     * @return seconds
     */
    double seconds() {
        CompressionReport report = listener.getReport();
        double checkMillis =
                report.getChecks().stream()
                        .mapToDouble(CompressionReport.Check::getMilliseconds)
                        .sum();
        return (checkMillis + report.getSignalRecordingMillis()) / 1e3;
    }

    /**
     * Returns whether the listener checks its layers at a step, once its schedule is known.
     *
     * @param step the training step, from 1
     * @return true at a check step
     */
    boolean isCheckStep(long step) {
        if (checkSteps.length == 0) {
            checkSteps = listener.getReport().getCheckSteps();
        }
        return Arrays.binarySearch(checkSteps, step) >= 0;
    }
}
