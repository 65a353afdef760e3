package io.github.compressm.ssm;

/**
 * The switch and the read-out of an SSM layer's signal recording, as compression uses it: the layer
 * records the second moment of one of its signals and of the loss gradient with respect to that
 * signal while compression needs them ({@link SsmBlock#getSignalMoments()} says which signal).
 *
 * <p>Off by default, so it costs nothing unless compression asks for it. While on, every training
 * forward pass of the layer is recorded; after the backward pass {@link #collectGradient()} reads
 * the gradient (a DJL {@code TrainingListener}'s {@code onTrainingBatch} runs right after it).
 * Inference passes are never recorded. Not thread-safe: one recording belongs to one block, used
 * from the training thread.
 */
public interface SignalRecording {

    /**
     * Starts (or resumes) recording; moments recorded before are kept until {@link #takeMoments()}.
     */
    void start();

    /**
     * Stops recording the following passes but keeps the moments recorded so far; {@link #start()}
     * resumes. A recorded pass whose gradient was not collected yet is dropped.
     */
    void pause();

    /** Stops recording and forgets everything recorded. */
    void stop();

    /**
     * Returns whether training passes are recorded.
     *
     * @return true while recording
     */
    boolean isRecording();

    /**
     * Adds the loss gradient of the last recorded forward pass to the gradient moment; call after
     * the backward pass. Does nothing if no recorded pass is pending.
     */
    void collectGradient();

    /**
     * Returns the wall time the recording has spent on its products and host copies so far.
     *
     * @return nanoseconds
     */
    long getRecordingNanos();

    /**
     * Returns the moments recorded since the last call and starts afresh.
     *
     * @return the moments, or null if either moment has no recorded batch
     */
    SignalMoments takeMoments();
}
