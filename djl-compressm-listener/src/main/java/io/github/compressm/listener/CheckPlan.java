package io.github.compressm.listener;

import ai.djl.Model;
import ai.djl.training.listener.TrainingListener.BatchData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a run checks its layers: the step count, the schedule inside the warm-up window, the checks
 * added past it while layers still shrink, and the progress a saved run resumes from.
 *
 * <p>One plan serves one run at a time: {@link #begin} at the start of training, {@link #start} on
 * its first batch (when the number of batches per epoch is known), {@link #advance} and {@link
 * #takeCheck} once per batch and {@link #save} after it.
 */
final class CheckPlan {

    private static final Logger logger = LoggerFactory.getLogger(CompreSsmListener.class);

    private final CompressionSettings settings;
    private final int totalEpochs;
    private final long totalSteps;

    private RunProgress resumed;
    private CompressionSchedule schedule;
    private long step;
    private int checksDone;
    private int extraChecks;

    /**
     * Creates a plan.
     *
     * @param settings the schedule's settings
     * @param totalEpochs the run's epochs, or 0 if {@code totalSteps} is given
     * @param totalSteps the run's steps, or 0 if {@code totalEpochs} is given
     */
    CheckPlan(CompressionSettings settings, int totalEpochs, long totalSteps) {
        this.settings = settings;
        this.totalEpochs = totalEpochs;
        this.totalSteps = totalSteps;
    }

    /**
     * Checks the run's length as a listener's builder was given it.
     *
     * @param epochsSet whether the epochs were set
     * @param totalEpochs the epochs
     * @param stepsSet whether the steps were set
     * @param totalSteps the steps
     * @throws IllegalArgumentException unless exactly one is set, and positive
     */
    static void requireLength(
            boolean epochsSet, int totalEpochs, boolean stepsSet, long totalSteps) {
        if (epochsSet == stepsSet) {
            throw new IllegalArgumentException(
                    epochsSet
                            ? "Set either setTotalEpochs or setTotalSteps, not both"
                            : "The training length is required: call setTotalEpochs(int) or"
                                    + " setTotalSteps(long)");
        }
        if (epochsSet && totalEpochs < 1) {
            throw new IllegalArgumentException("totalEpochs must be positive, got " + totalEpochs);
        }
        if (stepsSet && totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be positive, got " + totalSteps);
        }
    }

    /**
     * Starts a run: reads the saved progress of a loaded model if resuming.
     *
     * @param model the trained model
     */
    void begin(Model model) {
        schedule = null;
        resumed = settings.isResume() ? RunProgress.read(model) : null;
        step = resumed == null ? 0 : resumed.getStepsDone();
        checksDone = resumed == null ? 0 : resumed.getChecksDone();
        extraChecks = 0;
    }

    /**
     * Fixes the schedule on the run's first batch.
     *
     * @param batchData the first batch, whose iterator tells the dataset size
     * @return false if the run's length is unknown, so there is nothing to schedule
     */
    boolean start(BatchData batchData) {
        long total;
        if (resumed != null) {
            total = resumed.getTotalSteps();
        } else {
            total = totalSteps > 0 ? totalSteps : stepsFromEpochs(batchData);
        }
        if (total <= 0) {
            return false;
        }
        Long interval = settings.getCheckInterval();
        schedule =
                interval != null
                        ? CompressionSchedule.withInterval(
                                total, settings.getWarmupFraction(), interval)
                        : CompressionSchedule.withChecks(
                                total, settings.getWarmupFraction(), settings.getChecks());
        if (resumed != null) {
            restoreExtraChecks();
            logResume();
        }
        return true;
    }

    /**
     * Returns whether the schedule is fixed.
     *
     * @return true after a successful {@link #start}
     */
    boolean isStarted() {
        return schedule != null;
    }

    /** Counts one training batch. */
    void advance() {
        step++;
    }

    /**
     * Returns whether the current step is a check, and counts it as done if so.
     *
     * @return true if the layers are checked at this step
     */
    boolean takeCheck() {
        if (schedule.isCheckStep(step)) {
            checksDone++;
            return true;
        }
        return false;
    }

    /**
     * Returns the current step, from 1 on the first batch.
     *
     * @return the step
     */
    long getStep() {
        return step;
    }

    /**
     * Returns the schedule.
     *
     * @return the schedule, or null before {@link #start}
     */
    CompressionSchedule getSchedule() {
        return schedule;
    }

    /**
     * Adds one check past the last, if this step's check reduced a layer, was the last one
     * scheduled and extra checks are left.
     */
    void extendWhileShrinking() {
        if (extraChecks >= settings.getExtraChecks() || !schedule.isLastCheck(step)) {
            return;
        }
        CompressionSchedule extended = schedule.withExtraCheck();
        if (extended != null) {
            schedule = extended;
            extraChecks++;
            logger.info(
                    "CompreSSM: layers still shrinking at step {}: extra check {} of at most {} at"
                            + " step {}",
                    step,
                    extraChecks,
                    settings.getExtraChecks(),
                    step + schedule.getInterval());
        }
    }

    /**
     * Stores the progress in the model's properties, so that a saved model resumes from here.
     *
     * @param model the trained model
     */
    void save(Model model) {
        new RunProgress(step, checksDone, schedule.getTotalSteps(), schedule.getLastCheckStep())
                .write(model);
    }

    /**
     * Returns a description of the resumed progress for the start-up log.
     *
     * @return the description, or null for a new run
     */
    RunProgress getResumed() {
        return resumed;
    }

    /** Extends the schedule as the saved run had extended it past the window. */
    private void restoreExtraChecks() {
        while (extraChecks < settings.getExtraChecks()
                && schedule.getLastCheckStep() < resumed.getLastCheckStep()) {
            CompressionSchedule extended = schedule.withExtraCheck();
            if (extended == null) {
                return;
            }
            schedule = extended;
            extraChecks++;
        }
    }

    private void logResume() {
        int due = schedule.checksUpTo(resumed.getStepsDone());
        if (due != resumed.getChecksDone()) {
            logger.warn(
                    "CompreSSM: the saved run did {} checks by step {}, this listener's settings"
                            + " schedule {}: the settings differ from the saved run's; the"
                            + " remaining checks follow this listener's settings",
                    resumed.getChecksDone(),
                    resumed.getStepsDone(),
                    due);
        }
    }

    private long stepsFromEpochs(BatchData batchData) {
        // DJL's dataset iterators report progress in samples: the total is the dataset size.
        long samples = batchData.getBatch().getProgressTotal();
        int batchSize = batchData.getBatch().getSize();
        if (samples <= 0 || batchSize <= 0) {
            logger.error(
                    "CompreSSM cannot learn the number of batches per epoch from the first batch"
                            + " (dataset size {}, batch size {}); set the total with"
                            + " setTotalSteps(long). Compression is disabled for this run",
                    samples,
                    batchSize);
            return 0;
        }
        return (samples + batchSize - 1) / batchSize * totalEpochs;
    }
}
