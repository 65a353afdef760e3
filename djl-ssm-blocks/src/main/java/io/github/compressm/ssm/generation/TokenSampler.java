package io.github.compressm.ssm.generation;

import java.util.Random;

/**
 * Picks the next token from a model's logits: the argmax at temperature 0 (one pass, nothing else),
 * else a draw from the softmax of the logits divided by the temperature, in working memory kept
 * from draw to draw.
 */
final class TokenSampler {

    private final double temperature;
    private final Random random;

    /** The unnormalised probabilities of a draw, reused from pick to pick. */
    private double[] weights = new double[0];

    /**
     * Creates a sampler.
     *
     * @param temperature 0 for greedy decoding, else the softmax temperature
     * @param seed the seed of the draws
     */
    TokenSampler(double temperature, long seed) {
        this.temperature = requireTemperature(temperature);
        this.random = new Random(seed);
    }

    /**
     * Checks a temperature.
     *
     * @param temperature the temperature
     * @return the temperature
     * @throws IllegalArgumentException if it is negative or NaN
     */
    static double requireTemperature(double temperature) {
        if (!(temperature >= 0)) {
            throw new IllegalArgumentException(
                    "the temperature must be 0 (greedy) or positive, got " + temperature);
        }
        return temperature;
    }

    /**
     * Picks a token.
     *
     * @param logits the logits, {@code count} of them from {@code offset}
     * @param offset the first logit
     * @param count the number of tokens
     * @return the token, in {@code [0, count)}
     */
    int pick(float[] logits, int offset, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        if (temperature == 0) {
            return best;
        }
        if (weights.length < count) {
            weights = new double[count];
        }
        double[] p = weights;
        double sum = 0;
        for (int i = 0; i < count; i++) {
            p[i] = Math.exp((logits[offset + i] - logits[offset + best]) / temperature);
            sum += p[i];
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < count; i++) {
            u -= p[i];
            if (u <= 0) {
                return i;
            }
        }
        return count - 1;
    }
}
