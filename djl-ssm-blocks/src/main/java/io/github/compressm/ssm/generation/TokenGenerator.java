package io.github.compressm.ssm.generation;

/**
 * Continues a prompt of token ids with a trained sequence-to-sequence model, one token at a time:
 * the model reads the prompt once and then each new token with the states of its SSM layers
 * carried, so a token costs one step of the model whatever the length of the text so far.
 */
public interface TokenGenerator {

    /**
     * Generates a continuation.
     *
     * @param prompt the prompt's token ids, at least one
     * @param length the number of tokens to generate, at least 1
     * @return the generated ids, without the prompt
     * @throws IllegalArgumentException if the prompt is empty, an id is out of range or the length
     *     is below 1
     */
    int[] continueFrom(int[] prompt, int length);
}
