package io.github.compressm.examples.tasks.listops;

/**
 * Settings of the generated ListOps data.
 *
 * @param maxDepth the deepest nesting of expressions
 * @param maxArgs the most arguments of an operator
 * @param minLength the fewest tokens of an expression
 * @param maxLength the most tokens of an expression; every sequence is padded to this length
 * @param trainExamples the number of training examples (before {@code --limit})
 * @param testExamples the number of test examples
 */
public record ListOpsSpec(
        int maxDepth,
        int maxArgs,
        int minLength,
        int maxLength,
        int trainExamples,
        int testExamples) {}
