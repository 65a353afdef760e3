package io.github.compressm.ssm.generation;

/**
 * One step of an SSM layer on plain float arrays: the block inside a residual layer, mapping the
 * normalised input {@code u_t} to the output {@code y_t} and advancing its state. {@link
 * JvmStepModel} runs the rest of the layer (norm, activation, gate, skip); a family joins the fast
 * path by supplying its kernel through a {@link StepKernelFactory}.
 *
 * <p>A kernel is immutable and shared by every generation session; the state is the caller's, an
 * array of {@link #stateLength()} floats that starts at zero. A kernel that needs working memory
 * for a step keeps it in a {@link Stepper} per sequence ({@link #newStepper()}), so that a step
 * allocates nothing.
 */
public interface StepKernel {

    /**
     * Returns the number of input and output features.
     *
     * @return the feature size
     */
    int features();

    /**
     * Returns the number of floats of the state.
     *
     * @return the state's length
     */
    int stateLength();

    /**
     * Runs one step: reads the input, advances the state in place and writes the output.
     *
     * @param state the state, {@link #stateLength()} floats
     * @param input the input, {@link #features()} floats, not modified
     * @param output receives the output, {@link #features()} floats
     */
    void step(float[] state, float[] input, float[] output);

    /**
     * Starts one sequence's stepping: an object that runs {@link #step} with working memory of its
     * own, kept from step to step, so that a step allocates nothing. {@link JvmStepModel} makes one
     * per layer and session. By default the kernel itself, for kernels that need no working memory.
     *
     * @return a stepper of this kernel, used by one thread at a time
     */
    default Stepper newStepper() {
        return this::step;
    }

    /** One sequence's step of a kernel ({@link #newStepper()}): its working memory and its step. */
    @FunctionalInterface
    interface Stepper {

        /**
         * Runs one step, as {@link StepKernel#step}.
         *
         * @param state the state, {@link StepKernel#stateLength()} floats
         * @param input the input, {@link StepKernel#features()} floats, not modified
         * @param output receives the output, {@link StepKernel#features()} floats
         */
        void step(float[] state, float[] input, float[] output);
    }
}
