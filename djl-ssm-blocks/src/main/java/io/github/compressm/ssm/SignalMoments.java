package io.github.compressm.ssm;

/**
 * Second moments of an SSM layer's signals over a stretch of training, recorded by {@link
 * SignalMomentRecorder}: {@code E[u u^T]} of the inputs and {@code E[g g^T]} of the loss gradient
 * at the outputs, both {@code features x features}, uncentred.
 */
public final class SignalMoments {

    private final double[][] input;
    private final double[][] outputGradient;
    private final long inputSamples;
    private final long gradientSamples;

    /**
     * Creates moments.
     *
     * @param input {@code E[u u^T]}
     * @param outputGradient {@code E[g g^T]}
     * @param inputSamples how many input vectors (batch x time) were averaged
     * @param gradientSamples how many gradient vectors were averaged
     */
    public SignalMoments(
            double[][] input, double[][] outputGradient, long inputSamples, long gradientSamples) {
        this.input = copy(input);
        this.outputGradient = copy(outputGradient);
        this.inputSamples = inputSamples;
        this.gradientSamples = gradientSamples;
    }

    /**
     * Returns the second moment of the layer's inputs.
     *
     * @return a copy of {@code E[u u^T]}
     */
    public double[][] getInput() {
        return copy(input);
    }

    /**
     * Returns the second moment of the loss gradient at the layer's outputs.
     *
     * @return a copy of {@code E[g g^T]}
     */
    public double[][] getOutputGradient() {
        return copy(outputGradient);
    }

    /**
     * Returns how many input vectors were averaged.
     *
     * @return the rows (batch x time, sampled as the recorder describes) over the recorded batches
     */
    public long getInputSamples() {
        return inputSamples;
    }

    /**
     * Returns how many gradient vectors were averaged.
     *
     * @return the rows (batch x time, sampled as the recorder describes) over the recorded batches
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
