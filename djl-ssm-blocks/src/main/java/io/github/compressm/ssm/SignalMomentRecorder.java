package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Records the second moments of an SSM layer's signals during training, for data-aware compression:
 * {@code E[u u^T]} of the layer's inputs and {@code E[g g^T]} of the loss gradient {@code g =
 * dL/dy} at its outputs, each {@code features x features}, averaged over the time steps of the
 * training batches since the last {@link #takeMoments()}. A batch of more than {@link
 * #MAX_ROWS_PER_BATCH} rows (batch times time steps) contributes every {@code s}-th row, the
 * smallest stride {@code s} that keeps it within that many: a moment of a few hundred entries is
 * estimated far more precisely by the rows of the batches between two checks than the truncation
 * needs, and the sampled product costs a fraction of the full one.
 *
 * <p>Off by default, so it costs nothing unless compression asks for it ({@link #start()}). While
 * on, a training forward pass of the block hands its input to {@link #recordInput} and its output
 * through {@link #probeOutput}, which adds a zero array that requires a gradient: after the
 * backward pass that array's gradient is {@code dL/dy}, read by {@link #collectGradient()} (a DJL
 * {@code TrainingListener}'s {@code onTrainingBatch} runs right after the backward pass). Inference
 * passes are never recorded. Each moment costs one {@code features x features} product per batch,
 * in double precision, and one small copy to the host.
 *
 * <p>Not thread-safe: one recorder belongs to one block, used from the training thread.
 */
final class SignalMomentRecorder implements SignalRecording {

    /** The most rows (batch times time steps) of one batch that enter a moment. */
    static final int MAX_ROWS_PER_BATCH = 512;

    private boolean recording;
    private int features;
    private double[] inputSum;
    private long inputRows;
    private double[] gradientSum;
    private long gradientRows;
    private NDArray probe;
    private long recordingNanos;

    /** Creates a recorder that is off. */
    SignalMomentRecorder() {}

    /** {@inheritDoc} */
    @Override
    public void start() {
        recording = true;
    }

    /** {@inheritDoc} */
    @Override
    public void pause() {
        recording = false;
        probe = null;
    }

    /** {@inheritDoc} */
    @Override
    public void stop() {
        pause();
        reset();
    }

    /** {@inheritDoc} */
    @Override
    public boolean isRecording() {
        return recording;
    }

    /**
     * Adds a training batch's inputs to the input moment; does nothing unless recording.
     *
     * @param input the layer's input, {@code (batch, time, features)}
     */
    void recordInput(NDArray input) {
        if (!recording) {
            return;
        }
        long start = System.nanoTime();
        inputSum = accumulate(inputSum, input);
        inputRows += sampledRows(input);
        recordingNanos += System.nanoTime() - start;
    }

    /**
     * Returns the layer's output with a gradient probe added while recording, or the output itself
     * otherwise. The probe is a zero array, so the values are unchanged.
     *
     * @param output the layer's output, {@code (batch, time, features)}
     * @return the output to return from the forward pass
     */
    NDArray probeOutput(NDArray output) {
        if (!recording) {
            return output;
        }
        NDManager manager = output.getManager();
        NDArray zeros = manager.zeros(output.getShape(), output.getDataType(), output.getDevice());
        zeros.setRequiresGradient(true);
        probe = zeros;
        return output.add(zeros);
    }

    /** {@inheritDoc} */
    @Override
    public void collectGradient() {
        NDArray pending = probe;
        probe = null;
        if (!recording || pending == null || pending.isReleased()) {
            return;
        }
        long start = System.nanoTime();
        try (NDArray gradient = pending.getGradient()) {
            gradientSum = accumulate(gradientSum, gradient);
            gradientRows += sampledRows(gradient);
        }
        recordingNanos += System.nanoTime() - start;
    }

    /** {@inheritDoc} */
    @Override
    public long getRecordingNanos() {
        return recordingNanos;
    }

    /** {@inheritDoc} */
    @Override
    public SignalMoments takeMoments() {
        SignalMoments moments =
                inputRows > 0 && gradientRows > 0
                        ? new SignalMoments(
                                average(inputSum, inputRows),
                                average(gradientSum, gradientRows),
                                inputRows,
                                gradientRows)
                        : null;
        reset();
        return moments;
    }

    private void reset() {
        inputSum = null;
        gradientSum = null;
        inputRows = 0;
        gradientRows = 0;
    }

    private double[] accumulate(double[] sum, NDArray signal) {
        int h = Math.toIntExact(signal.getShape().get(signal.getShape().dimension() - 1));
        if (sum == null || h != features) {
            features = h;
            sum = new double[h * h];
        }
        // In double precision: a float32 sum over many rows leaves round-off of about 1e-5 of the
        // trace, which makes a singular moment (inputs after a layer norm sum to zero) indefinite.
        NDArray flat = signal.stopGradient().reshape(-1, h);
        long stride = stride(rows(signal));
        if (stride > 1) {
            flat = flat.get("::" + stride);
        }
        flat = flat.toType(DataType.FLOAT64, false);
        try (NDArray product = flat.transpose().matMul(flat)) {
            double[] values = product.toDoubleArray();
            for (int i = 0; i < values.length; i++) {
                sum[i] += values[i];
            }
        }
        return sum;
    }

    private static long stride(long rows) {
        return (rows + MAX_ROWS_PER_BATCH - 1) / MAX_ROWS_PER_BATCH;
    }

    private static long sampledRows(NDArray signal) {
        long rows = rows(signal);
        long stride = stride(rows);
        return (rows + stride - 1) / stride;
    }

    private static long rows(NDArray signal) {
        return signal.getShape().size() / signal.getShape().get(signal.getShape().dimension() - 1);
    }

    private double[][] average(double[] sum, long rows) {
        double[][] moment = new double[features][features];
        for (int i = 0; i < features; i++) {
            for (int j = 0; j < features; j++) {
                moment[i][j] = sum[i * features + j] / rows;
            }
        }
        return moment;
    }
}
