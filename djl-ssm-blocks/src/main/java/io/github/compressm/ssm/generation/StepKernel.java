package io.github.compressm.ssm.generation;

/**
 * One step of an SSM layer on plain float arrays: the block inside a residual layer, mapping the
 * normalised input {@code u_t} to the output {@code y_t} and advancing its state. {@link
 * JvmStepModel} runs the rest of the layer (norm, activation, gate, skip); a family joins the fast
 * path by supplying its kernel through a {@link StepKernelFactory}.
 *
 * <p>A kernel is immutable and shared by every generation session. Each sequence steps through a
 * {@link Stepper} of its own ({@link #newStepper()}), which holds the sequence's state, starting at
 * zero, and the working memory of a step, in whatever arrays suit the kernel's loops, so that a
 * step allocates nothing.
 */
public interface StepKernel {

    /**
     * Returns the number of input and output features.
     *
     * @return the feature size
     */
    int features();

    /**
     * Starts one sequence at the zero state. {@link JvmStepModel} makes one stepper per layer and
     * session.
     *
     * @return a new stepper of this kernel, used by one thread at a time
     */
    Stepper newStepper();

    /** One sequence's steps of a kernel ({@link #newStepper()}): its state and working memory. */
    interface Stepper {

        /**
         * Runs one step: reads the input, advances the state and writes the output.
         *
         * @param input the input, {@link StepKernel#features()} floats, not modified
         * @param output receives the output, {@link StepKernel#features()} floats
         */
        void step(float[] input, float[] output);

        /**
         * Returns a copy of the sequence's state, in the layout the kernel documents.
         *
         * @return the state after the steps so far
         */
        float[] state();
    }
}
