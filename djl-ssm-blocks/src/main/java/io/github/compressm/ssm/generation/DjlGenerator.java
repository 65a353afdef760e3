package io.github.compressm.ssm.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.github.compressm.ssm.AbstractDiagonalSsm;
import io.github.compressm.ssm.SsmModels;
import java.util.function.Supplier;

/**
 * Generates with the DJL engine: the model's own forward pass on a stepping copy of it whose SSM
 * layers return their states (see {@link #steppingCopy}), run layer by layer with the states
 * carried. It runs any model the engine runs, on any device, and several prompts as one batch
 * ({@link #continueFrom(int[][], int)}); at batch 1 a step costs one dispatch to the engine per
 * operation, which {@link JvmStepModel} avoids.
 *
 * <p>Each sequence of a batch draws from its own random generator started at the seed, so a
 * sequence generated in a batch equals the same sequence generated alone.
 */
public final class DjlGenerator implements TokenGenerator {

    private final SequentialBlock model;
    private final NDManager manager;
    private final double temperature;
    private final long seed;

    /**
     * Creates a generator.
     *
     * @param model the trained sequence-to-sequence model, built with SSM layers that return their
     *     states ({@link #steppingCopy})
     * @param manager the manager under which the generator's arrays live while it generates
     * @param temperature 0 for greedy decoding, else the softmax temperature
     * @param seed the seed of the sampling
     * @throws IllegalArgumentException if the temperature is negative
     */
    public DjlGenerator(SequentialBlock model, NDManager manager, double temperature, long seed) {
        TokenSampler.requireTemperature(temperature);
        this.model = model;
        this.manager = manager;
        this.temperature = temperature;
        this.seed = seed;
    }

    /**
     * Builds the stepping copy of a trained sequence-to-sequence model whose SSM layers come from
     * {@code ssm}: the same architecture with those layers returning their states, holding the
     * trained parameters (the saved state sizes win, so a model compressed in training copies into
     * a freshly built one).
     *
     * @param trained the trained model
     * @param architecture the builder that built it (its SSM factory is replaced)
     * @param ssm the builder of the trained model's SSM layers, with their initial state size
     * @param manager the manager of the copied parameters
     * @return the stepping model, for the constructor
     */
    public static SequentialBlock steppingCopy(
            Block trained,
            SsmModels.Builder architecture,
            AbstractDiagonalSsm.BaseBuilder<?> ssm,
            NDManager manager) {
        return steppingCopy(trained, architecture, () -> ssm.optReturnState(true).build(), manager);
    }

    /**
     * Builds the stepping copy of a trained sequence-to-sequence model of any SSM family: the same
     * architecture with the layers {@code steppingLayer} builds, which must return their states,
     * holding the trained parameters.
     *
     * @param trained the trained model
     * @param architecture the builder that built it (its SSM factory is replaced)
     * @param steppingLayer builds one SSM layer of the trained model's family and initial state
     *     size that returns its states after its output
     * @param manager the manager of the copied parameters
     * @return the stepping model, for the constructor
     */
    public static SequentialBlock steppingCopy(
            Block trained,
            SsmModels.Builder architecture,
            Supplier<? extends Block> steppingLayer,
            NDManager manager) {
        SequentialBlock stepping =
                architecture.optSsmFactory(i -> steppingLayer.get()).buildSequenceToSequence();
        StepwiseRunner.copyParameters(trained, stepping, manager);
        return stepping;
    }

    /** {@inheritDoc} */
    @Override
    public int[] continueFrom(int[] prompt, int length) {
        return continueFrom(new int[][] {prompt}, length)[0];
    }

    /**
     * Generates continuations of several prompts as one batch. Prompts of different lengths share
     * one pass over their common length; then every step feeds each sequence its next prompt token
     * or, once its prompt is read, its last generated one.
     *
     * @param prompts the prompts' token ids, each at least one
     * @param length the number of tokens to generate per prompt, at least 1
     * @return the generated ids per prompt, without the prompts
     * @throws IllegalArgumentException if there is no prompt, a prompt is empty or the length is
     *     below 1
     */
    public int[][] continueFrom(int[][] prompts, int length) {
        int batch = prompts.length;
        if (batch == 0 || length < 1) {
            throw new IllegalArgumentException(
                    "need at least one prompt and a length of at least 1, got "
                            + batch
                            + " prompts and length "
                            + length);
        }
        int common = Integer.MAX_VALUE;
        for (int[] prompt : prompts) {
            if (prompt.length == 0) {
                throw new IllegalArgumentException("a prompt must hold at least one token");
            }
            common = Math.min(common, prompt.length);
        }
        TokenSampler[] samplers = new TokenSampler[batch];
        for (int r = 0; r < batch; r++) {
            samplers[r] = new TokenSampler(temperature, seed);
        }
        int[][] generated = new int[batch][length];
        int[] counts = new int[batch];
        try (NDManager session = manager.newSubManager()) {
            StepwiseRunner runner = new StepwiseRunner(model, session);
            long[] input = new long[batch * common];
            for (int r = 0; r < batch; r++) {
                for (int t = 0; t < common; t++) {
                    input[r * common + t] = prompts[r][t];
                }
            }
            int position = common - 1;
            float[] logits = lastLogits(runner, session, input, batch, common);
            int vocabulary = logits.length / batch;
            int done = 0;
            while (true) {
                for (int r = 0; r < batch; r++) {
                    if (position >= prompts[r].length - 1 && counts[r] < length) {
                        generated[r][counts[r]++] =
                                samplers[r].pick(logits, r * vocabulary, vocabulary);
                        if (counts[r] == length) {
                            done++;
                        }
                    }
                }
                if (done == batch) {
                    return generated;
                }
                position++;
                long[] next = new long[batch];
                for (int r = 0; r < batch; r++) {
                    next[r] =
                            position < prompts[r].length
                                    ? prompts[r][position]
                                    : generated[r][counts[r] - 1];
                }
                logits = lastLogits(runner, session, next, batch, 1);
            }
        }
    }

    /** Feeds {@code (batch, steps)} ids to the model and returns the logits after the last step. */
    private static float[] lastLogits(
            StepwiseRunner runner, NDManager session, long[] ids, int batch, int steps) {
        try (NDManager step = session.newSubManager()) {
            NDArray logits = runner.forward(step.create(ids, new Shape(batch, steps)));
            return logits.get(":, " + (steps - 1) + ", :").toFloatArray();
        }
    }
}
