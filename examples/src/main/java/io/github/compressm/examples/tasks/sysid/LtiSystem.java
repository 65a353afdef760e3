package io.github.compressm.examples.tasks.sysid;

import java.util.Random;

/**
 * A random stable discrete-time linear system {@code x_{t+1} = A x_t + B u_t}, {@code y_t = C x_t +
 * D u_t} of a known order, simulated in double precision.
 *
 * <p>{@code A} is real block diagonal: one 2x2 rotation-scaling block per complex conjugate pole
 * pair (modulus in {@code [rMin, rMax]}, random angle) and a 1x1 block for the real pole of an odd
 * order. {@code B}, {@code C} have standard normal entries and {@code D = 0}, so the system is
 * minimal with probability one: its order is exactly {@link #order()}.
 */
public final class LtiSystem {

    private final int order;
    private final double[][] a;
    private final double[][] b;
    private final double[][] c;

    private LtiSystem(double[][] a, double[][] b, double[][] c) {
        this.order = a.length;
        this.a = a;
        this.b = b;
        this.c = c;
    }

    /**
     * Draws a random stable system.
     *
     * @param order the state dimension, at least 1
     * @param inputs the input dimension, at least 1
     * @param outputs the output dimension, at least 1
     * @param rMin the smallest pole modulus, in (0, rMax]
     * @param rMax the largest pole modulus, below 1
     * @param random the random source
     * @return the system
     */
    public static LtiSystem random(
            int order, int inputs, int outputs, double rMin, double rMax, Random random) {
        if (order < 1 || inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("order, inputs and outputs must be at least 1");
        }
        if (!(rMin > 0 && rMin <= rMax && rMax < 1)) {
            throw new IllegalArgumentException("need 0 < rMin <= rMax < 1");
        }
        double[][] a = new double[order][order];
        for (int k = 0; k + 1 < order; k += 2) {
            double r = rMin + (rMax - rMin) * random.nextDouble();
            double phi = 0.1 + (Math.PI - 0.2) * random.nextDouble();
            a[k][k] = r * Math.cos(phi);
            a[k][k + 1] = -r * Math.sin(phi);
            a[k + 1][k] = r * Math.sin(phi);
            a[k + 1][k + 1] = r * Math.cos(phi);
        }
        if (order % 2 == 1) {
            double r = rMin + (rMax - rMin) * random.nextDouble();
            a[order - 1][order - 1] = random.nextBoolean() ? r : -r;
        }
        double[][] b = gaussian(order, inputs, random);
        double[][] c = gaussian(outputs, order, random);
        return new LtiSystem(a, b, c);
    }

    /**
     * Returns the state dimension.
     *
     * @return the order
     */
    public int order() {
        return order;
    }

    /**
     * Simulates the system from a zero state.
     *
     * @param u the inputs, {@code (time, inputs)}
     * @return the outputs, {@code (time, outputs)}
     */
    public double[][] simulate(double[][] u) {
        int steps = u.length;
        double[][] y = new double[steps][c.length];
        double[] x = new double[order];
        double[] next = new double[order];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < order; i++) {
                double s = 0;
                for (int j = 0; j < order; j++) {
                    s += a[i][j] * x[j];
                }
                for (int j = 0; j < b[i].length; j++) {
                    s += b[i][j] * u[t][j];
                }
                next[i] = s;
            }
            // y_t = C x_t with the state after the input u_t (a one-step response, like an LRU).
            System.arraycopy(next, 0, x, 0, order);
            for (int o = 0; o < c.length; o++) {
                double s = 0;
                for (int j = 0; j < order; j++) {
                    s += c[o][j] * x[j];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private static double[][] gaussian(int rows, int cols, Random random) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = random.nextGaussian();
            }
        }
        return m;
    }
}
