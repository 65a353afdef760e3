package io.github.compressm.examples.training;

import ai.djl.training.listener.TrainingListener;
import io.github.compressm.examples.report.RunReport;
import java.util.List;

/**
 * In-training compression as the examples use it: a {@link TrainingListener} to add to the training
 * configuration and, after training, the history of its checks. {@link CompressionPlugins} is the
 * one place that creates it.
 */
public interface CompressionPlugin {

    /**
     * Returns the listener that compresses the SSM layers while training.
     *
     * @return the listener
     */
    TrainingListener listener();

    /**
     * Returns every check done so far, oldest first.
     *
     * @return the checks
     */
    List<RunReport.Check> checks();

    /**
     * Returns the time spent on compression so far: the checks and, with data-aware Gramians, the
     * layers' recording of signal moments.
     *
     * @return seconds
     */
    double seconds();

    /**
     * Returns whether the listener checks its layers at a step, once its schedule is known.
     *
     * @param step the training step, from 1
     * @return true at a check step
     */
    boolean isCheckStep(long step);
}
