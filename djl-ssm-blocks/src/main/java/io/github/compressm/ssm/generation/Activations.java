package io.github.compressm.ssm.generation;

/**
 * The activations of the step kernels in float: the exact GELU and the logistic sigmoid (and SiLU)
 * read from {@link CubicTable}s on the range where their values vary, within a few {@code 1e-9} of
 * the functions, and computed directly outside it (rare, and there the GELU is {@code x} or its
 * tiny negative tail, the sigmoid 0 or 1 to float precision). A table read costs a fraction of the
 * {@code exp} each function would otherwise take per feature and step.
 */
final class Activations {

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /** The coefficients of {@code log(erfc(z) / t) + z^2} in {@code t = 1 / (1 + z / 2)}. */
    private static final double[] ERFC = {
        -1.26551223,
        1.00002368,
        0.37409196,
        0.09678418,
        -0.18628806,
        0.27886807,
        -1.13520398,
        1.48851587,
        -0.82215223,
        0.17087277
    };

    /** GELU on {@code [-6, 6)}: beyond, it is {@code x} or below {@code 6e-9} in magnitude. */
    private static final CubicTable GELU =
            new CubicTable(
                    Activations::exactGelu,
                    x -> 0.5 * erfc(-x * SQRT_HALF) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
                    -6,
                    6,
                    32);

    /** The sigmoid on {@code [-16, 16)}: beyond, it is within {@code 1.2e-7} of 0 or 1. */
    private static final CubicTable SIGMOID =
            new CubicTable(
                    Activations::exactSigmoid,
                    x -> {
                        double s = exactSigmoid(x);
                        return s * (1 - s);
                    },
                    -16,
                    16,
                    16);

    private Activations() {}

    /**
     * The exact GELU {@code x Phi(x)}, from the table.
     *
     * @param x the input
     * @return the GELU of {@code x}
     */
    static float gelu(float x) {
        return GELU.covers(x) ? GELU.at(x) : (float) exactGelu(x);
    }

    /**
     * The logistic sigmoid {@code 1 / (1 + exp(-x))}, from the table.
     *
     * @param x the input
     * @return the sigmoid of {@code x}
     */
    static float sigmoid(float x) {
        return SIGMOID.covers(x) ? SIGMOID.at(x) : (float) exactSigmoid(x);
    }

    /**
     * SiLU, {@code x sigmoid(x)}.
     *
     * @param x the input
     * @return the SiLU of {@code x}
     */
    static float silu(float x) {
        return x * sigmoid(x);
    }

    /**
     * The exact GELU {@code x Phi(x) = x erfc(-x / sqrt 2) / 2} in double, with the complementary
     * error function of Numerical Recipes (fractional error below 1.2e-7 everywhere), so the
     * negative tail keeps its relative precision.
     *
     * @param x the input
     * @return the GELU of {@code x}
     */
    static double exactGelu(double x) {
        return 0.5 * x * erfc(-x * SQRT_HALF);
    }

    /**
     * The complementary error function, Chebyshev fit with fractional error below 1.2e-7.
     *
     * @param x the input
     * @return {@code erfc(x)}
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = 0;
        for (int k = ERFC.length - 1; k >= 0; k--) {
            poly = poly * t + ERFC[k];
        }
        double value = t * Math.exp(-z * z + poly);
        return x >= 0 ? value : 2 - value;
    }

    private static double exactSigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
