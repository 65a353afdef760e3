package io.github.compressm.examples.tasks.text;

import java.nio.file.Path;

/**
 * Settings of the character language model task.
 *
 * @param text the UTF-8 text file to model
 * @param sequenceLength the characters per training window
 * @param heldOutFraction the fraction at the end of the text kept for evaluation
 * @param sampleLength the number of characters to generate after training, 0 for none
 * @param temperature the sampling temperature; 0 is greedy (argmax)
 */
public record CharLmSpec(
        Path text,
        int sequenceLength,
        double heldOutFraction,
        int sampleLength,
        double temperature) {}
