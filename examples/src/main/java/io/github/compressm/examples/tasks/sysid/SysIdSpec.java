package io.github.compressm.examples.tasks.sysid;

/**
 * The generated identification problem: a random stable system and the data drawn from it.
 *
 * @param order the true state dimension of the system
 * @param inputs the number of input channels
 * @param outputs the number of output channels
 * @param sequenceLength the time steps per sequence
 * @param trainSequences the number of training sequences (before {@code --limit})
 * @param testSequences the number of test sequences
 * @param noiseStd the standard deviation of the noise added to the (unit-variance) training outputs
 * @param rMin the smallest pole modulus of the system
 * @param rMax the largest pole modulus of the system
 */
public record SysIdSpec(
        int order,
        int inputs,
        int outputs,
        int sequenceLength,
        int trainSequences,
        int testSequences,
        double noiseStd,
        double rMin,
        double rMax) {

    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public SysIdSpec {
        if (order < 1 || inputs < 1 || outputs < 1 || sequenceLength < 1) {
            throw new IllegalArgumentException(
                    "order, inputs, outputs and sequence length must be at least 1");
        }
        if (trainSequences < 1 || testSequences < 1) {
            throw new IllegalArgumentException("need at least one training and one test sequence");
        }
        if (!(noiseStd >= 0)) {
            throw new IllegalArgumentException("noise std must be >= 0, got " + noiseStd);
        }
    }
}
