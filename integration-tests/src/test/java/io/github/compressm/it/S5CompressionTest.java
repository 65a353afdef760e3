package io.github.compressm.it;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.compressm.control.Reduction;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.SystemReducer;
import io.github.compressm.ssm.Complex;
import io.github.compressm.ssm.DiagonalRealization;
import io.github.compressm.ssm.Discretization;
import io.github.compressm.ssm.S5;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * Balanced truncation of an S5 layer through the unchanged control code: the layer takes the
 * reduced system and then realises it, so its error stays within the truncation bound {@code 2 *
 * sum of the discarded Hankel singular values}.
 */
public class S5CompressionTest {

    private static final int SAMPLES = 2000;

    @Test
    public void reducedS5StaysWithinTheTruncationBound() {
        for (Discretization discretization : Discretization.values()) {
            for (int order : new int[] {4, 8, 12}) {
                Engine.getInstance().setRandomSeed(order);
                try (NDManager manager = NDManager.newBaseManager()) {
                    S5 s5 =
                            S5.builder()
                                    .setStateSize(16)
                                    .optDiscretization(discretization)
                                    .optStepRange(0.05, 0.5)
                                    .build();
                    s5.initialize(manager, DataType.FLOAT64, new Shape(1, 8, 1));
                    DiagonalRealization full = s5.getRealization();
                    Reduction reduction =
                            new SystemReducer().reduce(full, order, SelectionMode.LARGEST, null);
                    s5.setRealization(reduction.getRealization());
                    DiagonalRealization layer = s5.getRealization();
                    String where = discretization + ", order " + order;
                    Assert.assertEquals(layer.getStateSize(), reduction.getStateCount(), where);
                    Assert.assertTrue(layer.spectralRadius() < 1, where);
                    // Real eigenvalues get a small phase (AbstractDiagonalSsm.REAL_MODE_PHASE).
                    double reduced = hInfinity(reduction.getRealization(), null);
                    double lift = hInfinity(reduction.getRealization(), layer);
                    Assert.assertTrue(lift <= 1e-3 * reduced, where + ": " + lift);
                    double bound = 2 * reduction.getDiscardedSum();
                    double error = hInfinity(full, layer);
                    Assert.assertTrue(
                            error <= bound * (1 + 1e-6) + lift,
                            where + ": " + error + " > " + bound);
                }
            }
        }
    }

    /**
     * The largest sampled {@code |G(z) - G_other(z)|} on the unit circle of single-input
     * single-output systems with output {@code Re(C x)}, or {@code |G(z)|} without {@code other}.
     */
    private static double hInfinity(DiagonalRealization system, DiagonalRealization other) {
        double max = 0;
        for (int s = 0; s <= SAMPLES; s++) {
            double omega = Math.PI * s / SAMPLES;
            Complex z = new Complex(Math.cos(omega), Math.sin(omega));
            Complex g = response(system, z);
            if (other != null) {
                Complex h = response(other, z);
                g = new Complex(g.re() - h.re(), g.im() - h.im());
            }
            max = Math.max(max, g.abs());
        }
        return max;
    }

    /**
     * {@code G(z) = sum_k (c_k b_k z / (z - lambda_k) + conj(c_k b_k) z / (z - conj lambda_k)) /
     * 2}: the transfer function of {@code x_t = lambda x_{t-1} + b u_t}, {@code y_t = Re(c x_t)}.
     */
    private static Complex response(DiagonalRealization system, Complex z) {
        double re = 0;
        double im = 0;
        for (int k = 0; k < system.getStateSize(); k++) {
            Complex cb = system.outputColumn(k)[0].times(system.inputRow(k)[0]);
            Complex lambda = system.eigenvalue(k);
            Complex direct =
                    cb.times(z)
                            .times(
                                    new Complex(z.re() - lambda.re(), z.im() - lambda.im())
                                            .reciprocal());
            Complex mirrored =
                    new Complex(cb.re(), -cb.im())
                            .times(z)
                            .times(
                                    new Complex(z.re() - lambda.re(), z.im() + lambda.im())
                                            .reciprocal());
            re += (direct.re() + mirrored.re()) / 2;
            im += (direct.im() + mirrored.im()) / 2;
        }
        return new Complex(re, im);
    }
}
