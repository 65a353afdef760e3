package io.github.compressm.examples.tasks.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import java.util.Arrays;
import java.util.Random;

/**
 * Continues a prompt with a trained character model, one character at a time: the model reads the
 * last {@code window} characters and the next one is the argmax (temperature 0) or drawn from the
 * softmax of the logits divided by the temperature.
 */
public final class TextSampler {

    private final Trainer trainer;
    private final int window;
    private final double temperature;
    private final Random random;

    /**
     * Creates a sampler.
     *
     * @param trainer the trainer holding the trained sequence-to-sequence model
     * @param window the most characters the model reads per step
     * @param temperature 0 for greedy decoding, else the softmax temperature
     * @param seed the seed of the sampling
     */
    public TextSampler(Trainer trainer, int window, double temperature, long seed) {
        this.trainer = trainer;
        this.window = window;
        this.temperature = temperature;
        this.random = new Random(seed);
    }

    /**
     * Generates a continuation.
     *
     * @param prompt the prompt's character ids, at least one
     * @param length the number of characters to generate
     * @return the generated ids (without the prompt)
     */
    public int[] continueFrom(int[] prompt, int length) {
        int[] context = Arrays.copyOf(prompt, prompt.length + length);
        int filled = prompt.length;
        try (NDManager manager = trainer.getManager().newSubManager()) {
            for (int i = 0; i < length; i++) {
                int from = Math.max(0, filled - window);
                long[] ids = new long[filled - from];
                for (int k = from; k < filled; k++) {
                    ids[k - from] = context[k];
                }
                NDArray input = manager.create(ids, new Shape(1, ids.length));
                NDList out = trainer.evaluate(new NDList(input));
                NDArray logits = out.singletonOrThrow().get(0).get(ids.length - 1);
                context[filled++] = pick(logits.toFloatArray());
                out.close();
                input.close();
            }
        }
        return Arrays.copyOfRange(context, prompt.length, filled);
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
