package io.github.compressm.examples.training;

import ai.djl.training.tracker.Tracker;

/** The learning-rate schedules of the examples. */
public enum LearningRateSchedule {

    /** The same rate at every step. */
    FIXED,

    /**
     * The paper's schedule: a linear warm-up from 0 over the first warm-up fraction of the steps
     * (the window in which CompreSSM reduces), then cosine decay to 0 at the last step.
     */
    WARMUP_COSINE;

    /**
     * Builds the tracker for a run.
     *
     * @param learningRate the peak rate
     * @param totalSteps the run's optimizer steps
     * @param warmupFraction the fraction of steps in the linear warm-up
     * @return the tracker
     */
    public Tracker tracker(float learningRate, long totalSteps, double warmupFraction) {
        if (this == FIXED) {
            return Tracker.fixed(learningRate);
        }
        int steps = Math.toIntExact(totalSteps);
        int warmup = Math.max(1, (int) Math.floor(warmupFraction * steps));
        Tracker decay =
                Tracker.cosine()
                        .setBaseValue(learningRate)
                        .optFinalValue(0f)
                        .setMaxUpdates(Math.max(1, steps - warmup))
                        .build();
        return Tracker.warmUp().setMainTracker(decay).optWarmUpSteps(warmup).build();
    }
}
