package io.github.compressm.examples.tasks.listops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Generates Long Range Arena ListOps examples: nested prefix expressions such as {@code [MAX 4 3
 * [MIN 2 3 ] 1 0 [MED 1 5 8 9 2 ] ]} over the digits 0-9, whose value (0-9) is the class. The
 * operators are MAX, MIN, MED (the median; for an even count the mean of the middle pair rounded
 * down, as LRA's {@code int(np.median)}) and SM (sum modulo 10). Like the LRA generator, an
 * argument is a nested expression with probability 0.25 (while below the depth limit), else a
 * digit; an operator has 2 to {@code maxArgs} arguments. Expressions outside the length range are
 * drawn again.
 */
public final class ListOpsGenerator {

    /** Token id of padding. */
    public static final int PAD = 0;

    /** Token id of the closing bracket. */
    public static final int CLOSE = 15;

    /** Number of token ids: pad, ten digits, four operators, closing bracket. */
    public static final int VOCABULARY = 16;

    private static final int DIGIT_BASE = 1;
    private static final int OP_BASE = 11;
    private static final String[] OPS = {"MAX", "MIN", "MED", "SM"};
    private static final double EXPRESSION_PROBABILITY = 0.25;

    private final int maxDepth;
    private final int maxArgs;
    private final int minLength;
    private final int maxLength;
    private final Random random;

    /**
     * Creates a generator.
     *
     * @param maxDepth the deepest nesting, at least 1
     * @param maxArgs the most arguments of an operator, at least 2
     * @param minLength the fewest tokens of an expression, at least 1
     * @param maxLength the most tokens of an expression (the padded length), at least minLength
     * @param seed the random seed
     */
    public ListOpsGenerator(int maxDepth, int maxArgs, int minLength, int maxLength, long seed) {
        if (maxDepth < 1 || maxArgs < 2 || minLength < 1 || maxLength < Math.max(minLength, 4)) {
            throw new IllegalArgumentException(
                    "need depth >= 1, max args >= 2, 1 <= min length <= max length, max length >= 4");
        }
        this.maxDepth = maxDepth;
        this.maxArgs = maxArgs;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.random = new Random(seed);
    }

    /**
     * Draws one example.
     *
     * @return the example: tokens padded to the maximum length, and its value
     */
    public Example next() {
        for (int attempt = 0; attempt < 100_000; attempt++) {
            List<Integer> tokens = new ArrayList<>();
            int value = expression(1, tokens);
            if (tokens.size() >= minLength && tokens.size() <= maxLength) {
                long[] padded = new long[maxLength];
                for (int i = 0; i < tokens.size(); i++) {
                    padded[i] = tokens.get(i);
                }
                return new Example(padded, tokens.size(), value);
            }
        }
        throw new IllegalStateException(
                "could not draw an expression of "
                        + minLength
                        + ".."
                        + maxLength
                        + " tokens with depth "
                        + maxDepth
                        + " and "
                        + maxArgs
                        + " arguments: widen the length range");
    }

    /**
     * Turns token ids back into text, without padding.
     *
     * @param tokens the token ids
     * @return the expression as text
     */
    public static String toText(long[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (long t : tokens) {
            if (t == PAD) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (t == CLOSE) {
                sb.append(']');
            } else if (t >= OP_BASE) {
                sb.append('[').append(OPS[(int) t - OP_BASE]);
            } else {
                sb.append(t - DIGIT_BASE);
            }
        }
        return sb.toString();
    }

    /** Writes an operator expression (the root always is one) and returns its value. */
    private int expression(int depth, List<Integer> tokens) {
        int op = random.nextInt(OPS.length);
        tokens.add(OP_BASE + op);
        int args = 2 + random.nextInt(maxArgs - 1);
        int[] values = new int[args];
        for (int i = 0; i < args; i++) {
            if (depth < maxDepth && random.nextDouble() < EXPRESSION_PROBABILITY) {
                values[i] = expression(depth + 1, tokens);
            } else {
                values[i] = random.nextInt(10);
                tokens.add(DIGIT_BASE + values[i]);
            }
        }
        tokens.add(CLOSE);
        return apply(op, values);
    }

    /**
     * Applies an operator.
     *
     * @param op 0 MAX, 1 MIN, 2 MED, 3 SM
     * @param values the argument values
     * @return the result, 0-9
     */
    static int apply(int op, int[] values) {
        switch (op) {
            case 0:
                return Arrays.stream(values).max().orElseThrow();
            case 1:
                return Arrays.stream(values).min().orElseThrow();
            case 2:
                int[] sorted = values.clone();
                Arrays.sort(sorted);
                int n = sorted.length;
                // int(np.median(...)): the mean of the middle pair, rounded down.
                return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            default:
                return Arrays.stream(values).sum() % 10;
        }
    }

    /**
     * A generated example.
     *
     * @param tokens token ids padded with {@link #PAD} to the maximum length
     * @param length the number of tokens before padding
     * @param label the expression's value, 0-9
     */
    public record Example(long[] tokens, int length, int label) {}
}
