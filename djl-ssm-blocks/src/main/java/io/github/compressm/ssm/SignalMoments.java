package io.github.compressm.ssm;

/**
 * Second moments of an SSM layer's signals over a stretch of training ({@link SignalRecording}):
 * {@code E[v v^T]} of a signal {@code v} and {@code E[g g^T]} of the loss gradient {@code g =
 * dL/dv} with respect to it, both square, uncentred. Which signal depends on the family: a diagonal
 * layer records its inputs as the signal and the gradient at its outputs; a selective layer records
 * its states and the gradient with respect to them ({@link SsmBlock#getSignalMoments()}).
 */
public final class SignalMoments {

    private final double[][] signal;
    private final double[][] gradient;
    private final long signalSamples;
    private final long gradientSamples;

    /**
     * Creates moments.
     *
     * @param signal {@code E[v v^T]}
     * @param gradient {@code E[g g^T]}
     * @param signalSamples how many signal vectors were averaged
     * @param gradientSamples how many gradient vectors were averaged
     */
    public SignalMoments(
            double[][] signal, double[][] gradient, long signalSamples, long gradientSamples) {
        this.signal = copy(signal);
        this.gradient = copy(gradient);
        this.signalSamples = signalSamples;
        this.gradientSamples = gradientSamples;
    }

    /**
     * Returns the second moment of the recorded signal.
     *
     * @return a copy of {@code E[v v^T]}
     */
    public double[][] getSignal() {
        return copy(signal);
    }

    /**
     * Returns the second moment of the loss gradient with respect to the recorded signal.
     *
     * @return a copy of {@code E[g g^T]}
     */
    public double[][] getGradient() {
        return copy(gradient);
    }

    /**
     * Returns how many signal vectors were averaged.
     *
     * @return the rows over the recorded batches, sampled as the recording describes
     */
    public long getSignalSamples() {
        return signalSamples;
    }

    /**
     * Returns how many gradient vectors were averaged.
     *
     * @return the rows over the recorded batches, sampled as the recording describes
     */
    public long getGradientSamples() {
        return gradientSamples;
    }

    private static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
