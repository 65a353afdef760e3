package io.github.compressm.examples.tasks.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.github.compressm.examples.training.SsmFamily;
import io.github.compressm.ssm.SsmModels;
import java.util.Arrays;
import java.util.Random;

/**
 * Continues a prompt with a trained character model, one character at a time: the model reads the
 * prompt once and then each new character with the states of its SSM layers carried (see {@link
 * StepwiseRunner}), so a character costs one step of the model whatever the length of the text so
 * far, and the model conditions on all of it. The next character is the argmax (temperature 0) or
 * drawn from the softmax of the logits divided by the temperature.
 */
public final class TextSampler {

    private final SequentialBlock model;
    private final NDManager manager;
    private final double temperature;
    private final Random random;

    /**
     * Creates a sampler.
     *
     * @param model the trained sequence-to-sequence model, built with SSM layers that return their
     *     states
     * @param manager the manager under which the sampler's arrays live while it samples
     * @param temperature 0 for greedy decoding, else the softmax temperature
     * @param seed the seed of the sampling
     */
    public TextSampler(SequentialBlock model, NDManager manager, double temperature, long seed) {
        this.model = model;
        this.manager = manager;
        this.temperature = temperature;
        this.random = new Random(seed);
    }

    /**
     * Builds the stepping copy of a trained sequence-to-sequence model: the same architecture with
     * LRU layers that return their states, holding the trained parameters (the saved state sizes
     * win, so a model compressed in training copies into a freshly built one).
     *
     * @param trained the trained model
     * @param architecture the builder that built it (its SSM factory is replaced)
     * @param stateSize the state size the trained model was built with
     * @param manager the manager of the copied parameters
     * @return the stepping model, for the constructor
     */
    public static SequentialBlock steppingCopy(
            Block trained, SsmModels.Builder architecture, int stateSize, NDManager manager) {
        return steppingCopy(trained, architecture, SsmFamily.LRU, stateSize, manager);
    }

    /**
     * Builds the stepping copy of a trained sequence-to-sequence model whose SSM layers are of the
     * given family: the same architecture with those layers returning their states, holding the
     * trained parameters.
     *
     * @param trained the trained model
     * @param architecture the builder that built it (its SSM factory is replaced)
     * @param family the family of the trained model's SSM layers
     * @param stateSize the state size the trained model was built with
     * @param manager the manager of the copied parameters
     * @return the stepping model, for the constructor
     */
    public static SequentialBlock steppingCopy(
            Block trained,
            SsmModels.Builder architecture,
            SsmFamily family,
            int stateSize,
            NDManager manager) {
        SequentialBlock stepping =
                architecture
                        .optSsmFactory(i -> family.build(stateSize, 0, true))
                        .buildSequenceToSequence();
        StepwiseRunner.copyParameters(trained, stepping, manager);
        return stepping;
    }

    /**
     * Generates a continuation.
     *
     * @param prompt the prompt's character ids, at least one
     * @param length the number of characters to generate
     * @return the generated ids (without the prompt)
     */
    public int[] continueFrom(int[] prompt, int length) {
        int[] generated = new int[length];
        try (NDManager session = manager.newSubManager()) {
            StepwiseRunner runner = new StepwiseRunner(model, session);
            long[] next = Arrays.stream(prompt).asLongStream().toArray();
            for (int i = 0; i < length; i++) {
                generated[i] = nextId(runner, session, next);
                next = new long[] {generated[i]};
            }
        }
        return generated;
    }

    /** Feeds ids to the model and picks the character after the last one. */
    private int nextId(StepwiseRunner runner, NDManager session, long[] ids) {
        try (NDManager step = session.newSubManager()) {
            NDArray logits = runner.forward(step.create(ids, new Shape(1, ids.length)));
            return pick(logits.get(0).get(ids.length - 1).toFloatArray());
        }
    }

    private int pick(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        if (temperature <= 0) {
            return best;
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - logits[best]) / temperature);
            sum += p[i];
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) {
                return i;
            }
        }
        return p.length - 1;
    }
}
