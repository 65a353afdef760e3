package io.github.compressm.ssm.generation;

import java.util.function.DoubleUnaryOperator;

/**
 * A smooth function on an interval as a table of cubic Hermite pieces: the value and the slope of
 * the function at evenly spaced knots, computed once in double precision, and between two knots the
 * cubic that matches both. Its error is at most {@code h^4 max|f''''| / 384} for knot spacing
 * {@code h}, below float round-off for the activations here at a few dozen knots per unit, and an
 * evaluation costs a multiply, a conversion, a table read and three multiply-adds, without the
 * {@code exp} of the function itself.
 */
final class CubicTable {

    private final float lo;
    private final float hi;
    private final float perUnit;

    /** The index of the knot at 0 below the first: {@code lo perUnit}. */
    private final int first;

    /** Per piece {@code i}, {@code c0 + t (c1 + t (c2 + t c3))} at {@code coefficients[4 i]}. */
    private final float[] coefficients;

    /**
     * Tabulates a function.
     *
     * @param f the function
     * @param slope its derivative
     * @param lo the interval's start
     * @param hi the interval's end
     * @param perUnit knots per unit length, a power of two (so {@code x perUnit} is exact)
     */
    CubicTable(DoubleUnaryOperator f, DoubleUnaryOperator slope, int lo, int hi, int perUnit) {
        if (Integer.bitCount(perUnit) != 1 || hi <= lo) {
            throw new IllegalArgumentException(
                    "need a power of two knots per unit and lo < hi, got "
                            + perUnit
                            + " on ["
                            + lo
                            + ", "
                            + hi
                            + ")");
        }
        this.lo = lo;
        this.hi = hi;
        this.perUnit = perUnit;
        int pieces = (hi - lo) * perUnit;
        double h = 1.0 / perUnit;
        first = lo * perUnit;
        coefficients = new float[4 * pieces];
        for (int i = 0; i < pieces; i++) {
            double x0 = lo + i * h;
            double x1 = lo + (i + 1) * h;
            double f0 = f.applyAsDouble(x0);
            double f1 = f.applyAsDouble(x1);
            double m0 = h * slope.applyAsDouble(x0);
            double m1 = h * slope.applyAsDouble(x1);
            coefficients[4 * i] = (float) f0;
            coefficients[4 * i + 1] = (float) m0;
            coefficients[4 * i + 2] = (float) (3 * (f1 - f0) - 2 * m0 - m1);
            coefficients[4 * i + 3] = (float) (2 * (f0 - f1) + m0 + m1);
        }
    }

    /**
     * Returns whether a value is inside the tabulated interval.
     *
     * @param x the value
     * @return {@code true} if {@code lo <= x < hi}
     */
    boolean covers(float x) {
        return x >= lo && x < hi;
    }

    /**
     * Evaluates the table.
     *
     * @param x a value the table {@linkplain #covers covers}
     * @return the function's approximation at {@code x}
     */
    float at(float x) {
        // Exact: a power-of-two scale, and a float less its floor; shifting x by lo first would
        // round away its low bits.
        float s = x * perUnit;
        float knot = (float) Math.floor(s);
        float t = s - knot;
        int c = 4 * ((int) knot - first);
        return coefficients[c]
                + t * (coefficients[c + 1] + t * (coefficients[c + 2] + t * coefficients[c + 3]));
    }
}
