package io.github.compressm.ssm;

import java.util.function.ToDoubleFunction;

/** Central finite differences, the reference for gradient tests. */
final class FiniteDifferences {

    private FiniteDifferences() {}

    /**
     * Returns the central differences {@code (f(v + h e_k) - f(v - h e_k)) / 2h} for every k.
     *
     * @param values the point {@code v}
     * @param h the step
     * @param f the function
     * @return the numeric gradient
     */
    static double[] central(double[] values, double h, ToDoubleFunction<double[]> f) {
        double[] gradient = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            double[] plus = values.clone();
            double[] minus = values.clone();
            plus[k] += h;
            minus[k] -= h;
            gradient[k] = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
        }
        return gradient;
    }
}
