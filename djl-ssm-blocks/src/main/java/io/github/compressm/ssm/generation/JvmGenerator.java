package io.github.compressm.ssm.generation;

/**
 * Generates with a {@link JvmStepModel}: the prompt token by token, then each drawn token, in a
 * session of its own per call. With the same model, temperature and seed it draws what {@link
 * DjlGenerator} draws.
 */
public final class JvmGenerator implements TokenGenerator {

    private final JvmStepModel model;
    private final double temperature;
    private final long seed;

    /**
     * Creates a generator.
     *
     * @param model the step model
     * @param temperature 0 for greedy decoding, else the softmax temperature
     * @param seed the seed of the sampling, the same for every call
     * @throws IllegalArgumentException if the temperature is negative
     */
    public JvmGenerator(JvmStepModel model, double temperature, long seed) {
        this.model = model;
        this.temperature = TokenSampler.requireTemperature(temperature);
        this.seed = seed;
    }

    /** {@inheritDoc} */
    @Override
    public int[] continueFrom(int[] prompt, int length) {
        if (prompt.length == 0 || length < 1) {
            throw new IllegalArgumentException(
                    "need a prompt of at least one token and a length of at least 1, got "
                            + prompt.length
                            + " tokens and length "
                            + length);
        }
        TokenSampler sampler = new TokenSampler(temperature, seed);
        JvmStepModel.Session session = model.newSession();
        float[] logits = null;
        for (int token : prompt) {
            logits = session.step(token);
        }
        int[] generated = new int[length];
        for (int i = 0; i < length; i++) {
            generated[i] = sampler.pick(logits, 0, model.vocabularySize());
            if (i + 1 < length) {
                logits = session.step(generated[i]);
            }
        }
        return generated;
    }
}
