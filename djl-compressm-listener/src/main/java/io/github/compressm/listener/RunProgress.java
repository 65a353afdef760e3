package io.github.compressm.listener;

import ai.djl.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a run has come in its compression schedule, kept in the model's properties ({@link
 * Model#setProperty}): {@code Model.save} writes them into the parameter file and {@code
 * Model.load} reads them back, so a listener attached to a loaded model continues the saved run.
 */
final class RunProgress {

    /** The property holding the number of training steps done. */
    static final String STEPS = "CompreSSM.stepsDone";

    /** The property holding the number of scheduled checks done. */
    static final String CHECKS = "CompreSSM.checksDone";

    /** The property holding the schedule's total number of training steps. */
    static final String TOTAL = "CompreSSM.totalSteps";

    /**
     * The property holding the step of the schedule's last check, past the window if extra checks
     * were added; absent in progress saved before extra checks existed.
     */
    static final String LAST_CHECK = "CompreSSM.lastCheckStep";

    private static final Logger logger = LoggerFactory.getLogger(CompreSsmListener.class);

    private final long stepsDone;
    private final int checksDone;
    private final long totalSteps;
    private final long lastCheckStep;

    RunProgress(long stepsDone, int checksDone, long totalSteps, long lastCheckStep) {
        this.stepsDone = stepsDone;
        this.checksDone = checksDone;
        this.totalSteps = totalSteps;
        this.lastCheckStep = lastCheckStep;
    }

    /**
     * Reads the progress a saved run left in a model's properties.
     *
     * @param model the model
     * @return the progress, or null if the model holds none (or holds unreadable values, which is
     *     logged)
     */
    static RunProgress read(Model model) {
        String steps = model.getProperty(STEPS);
        String checks = model.getProperty(CHECKS);
        String total = model.getProperty(TOTAL);
        String lastCheck = model.getProperty(LAST_CHECK);
        if (steps == null && checks == null && total == null) {
            return null;
        }
        try {
            RunProgress progress =
                    new RunProgress(
                            Long.parseLong(steps),
                            Integer.parseInt(checks),
                            Long.parseLong(total),
                            lastCheck == null ? 0 : Long.parseLong(lastCheck));
            if (progress.stepsDone < 0
                    || progress.checksDone < 0
                    || progress.totalSteps < 1
                    || progress.lastCheckStep < 0) {
                throw new NumberFormatException("negative count or empty schedule");
            }
            return progress;
        } catch (NumberFormatException e) {
            logger.warn(
                    "CompreSSM: the model's saved progress ({}={}, {}={}, {}={}) is unreadable"
                            + " ({}); the schedule starts from step 0",
                    STEPS,
                    steps,
                    CHECKS,
                    checks,
                    TOTAL,
                    total,
                    e.getMessage());
            return null;
        }
    }

    /**
     * Stores this progress in a model's properties.
     *
     * @param model the model
     */
    void write(Model model) {
        model.setProperty(STEPS, Long.toString(stepsDone));
        model.setProperty(CHECKS, Integer.toString(checksDone));
        model.setProperty(TOTAL, Long.toString(totalSteps));
        model.setProperty(LAST_CHECK, Long.toString(lastCheckStep));
    }

    /**
     * Returns the step of the saved schedule's last check.
     *
     * @return the step, 0 if unknown or the schedule had no check
     */
    long getLastCheckStep() {
        return lastCheckStep;
    }

    /**
     * Returns the training steps done.
     *
     * @return the steps
     */
    long getStepsDone() {
        return stepsDone;
    }

    /**
     * Returns the scheduled checks done.
     *
     * @return the checks
     */
    int getChecksDone() {
        return checksDone;
    }

    /**
     * Returns the schedule's total number of training steps.
     *
     * @return the total
     */
    long getTotalSteps() {
        return totalSteps;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "step " + stepsDone + " of " + totalSteps + ", " + checksDone + " checks done";
    }
}
