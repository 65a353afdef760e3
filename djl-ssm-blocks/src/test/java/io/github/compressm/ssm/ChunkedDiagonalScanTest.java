package io.github.compressm.ssm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * The chunked scan with eigenvalues of small modulus, as compression leaves them: high powers of
 * such eigenvalues underflow in float (through the subnormal range to zero), which must not cost
 * accuracy.
 */
public class ChunkedDiagonalScanTest {

    // The deep character model's layout: windows of 128 steps in 11 chunks of 12.
    private static final int T = 12;
    private static final int CHUNKS = 11;
    private static final int SEQUENCES = 3;

    /** Decay rates {@code -log|lambda|} from 0.001 to 30: |lambda| from 0.999 down to 1e-13. */
    private static float[] decays(int n) {
        float[] decay = new float[n];
        for (int i = 0; i < n; i++) {
            decay[i] = (float) Math.exp(Math.log(0.001) + i * (Math.log(30_000.0) / (n - 1)));
        }
        return decay;
    }

    private static float[] frequencies(int n) {
        float[] frequency = new float[n];
        for (int i = 0; i < n; i++) {
            frequency[i] = (float) (0.1 + 3.0 * i / n);
        }
        return frequency;
    }

    @Test
    public void smallModuliMatchDoublePrecision() {
        int n = 64;
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            long columns = (long) SEQUENCES * CHUNKS;
            NDArray decay = manager.create(decays(n));
            NDArray frequency = manager.create(frequencies(n));
            NDArray drive = manager.randomNormal(new Shape(n, 2 * T, columns));
            NDArray initial = manager.randomNormal(new Shape(n, 2, SEQUENCES));
            NDArray weight = manager.randomNormal(new Shape(n, 2 * T, columns));
            ChunkedDiagonalScan scan = new ChunkedDiagonalScan(T, CHUNKS);
            NDArray[] single = run(scan, decay, frequency, drive, initial, weight);
            NDArray[] exact =
                    run(
                            scan,
                            decay.toType(DataType.FLOAT64, false),
                            frequency.toType(DataType.FLOAT64, false),
                            drive.toType(DataType.FLOAT64, false),
                            initial.toType(DataType.FLOAT64, false),
                            weight.toType(DataType.FLOAT64, false));
            String[] names = {"states", "decay gradient", "frequency gradient", "drive gradient"};
            for (int k = 0; k < names.length; k++) {
                double scale = exact[k].abs().max().getDouble();
                double error =
                        single[k]
                                .toType(DataType.FLOAT64, false)
                                .sub(exact[k])
                                .abs()
                                .max()
                                .getDouble();
                // float32 rounding of sums of about 2T terms of this size, nothing more
                Assert.assertTrue(
                        error <= 2e-6 * scale,
                        names[k] + ": error " + error + " against scale " + scale);
            }
            // The double-precision scan reproduces a plain recurrence.
            double[] expected = recurrence(decays(n), frequencies(n), drive, initial);
            double[] states = exact[0].toDoubleArray();
            for (int i = 0; i < states.length; i++) {
                Assert.assertEquals(states[i], expected[i], 1e-9 * (1 + Math.abs(expected[i])));
            }
        }
    }

    /** States and gradients of {@code sum(weight * states)} w.r.t. decay, frequency and drive. */
    private static NDArray[] run(
            ChunkedDiagonalScan scan,
            NDArray decay,
            NDArray frequency,
            NDArray drive,
            NDArray initial,
            NDArray weight) {
        NDArray d = decay.duplicate();
        NDArray f = frequency.duplicate();
        NDArray v = drive.duplicate();
        d.setRequiresGradient(true);
        f.setRequiresGradient(true);
        v.setRequiresGradient(true);
        NDArray states;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            states = scan.scan(d, f, v, SEQUENCES, initial);
            collector.backward(states.mul(weight).sum());
        }
        return new NDArray[] {states, d.getGradient(), f.getGradient(), v.getGradient()};
    }

    /**
     * The recurrence {@code x_t = lambda x_{t-1} + v_t} in double precision, in the scan's layout
     * {@code (n, 2 T, sequences * chunks)}.
     */
    private static double[] recurrence(
            float[] decay, float[] frequency, NDArray drive, NDArray initial) {
        int n = decay.length;
        int columns = SEQUENCES * CHUNKS;
        float[] v = drive.toFloatArray();
        float[] x0 = initial.toFloatArray();
        double[] x = new double[v.length];
        for (int i = 0; i < n; i++) {
            double lr = Math.exp(-(double) decay[i]) * Math.cos(frequency[i]);
            double li = Math.exp(-(double) decay[i]) * Math.sin(frequency[i]);
            for (int s = 0; s < SEQUENCES; s++) {
                double re = x0[(i * 2) * SEQUENCES + s];
                double im = x0[(i * 2 + 1) * SEQUENCES + s];
                for (int c = 0; c < CHUNKS; c++) {
                    int column = s * CHUNKS + c;
                    for (int t = 0; t < T; t++) {
                        int atRe = (i * 2 * T + t) * columns + column;
                        int atIm = (i * 2 * T + T + t) * columns + column;
                        double nr = lr * re - li * im + v[atRe];
                        double ni = lr * im + li * re + v[atIm];
                        re = nr;
                        im = ni;
                        x[atRe] = re;
                        x[atIm] = im;
                    }
                }
            }
        }
        return x;
    }

    @Test
    public void moderateModuliMatchTheRecurrence() {
        // Moduli whose powers up to lambda^120 stay normal in float: the states are those of the
        // recurrence to float rounding.
        Random random = new Random(5);
        float[] decay = {0.05f, 0.3f, 0.7f};
        float[] frequency = {0.3f, 1.1f, 2.9f};
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = new float[3 * 2 * T * SEQUENCES * CHUNKS];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            NDArray drive = manager.create(values, new Shape(3, 2 * T, SEQUENCES * CHUNKS));
            NDArray initial = manager.zeros(new Shape(3, 2, SEQUENCES));
            NDArray states =
                    new ChunkedDiagonalScan(T, CHUNKS)
                            .scan(
                                    manager.create(decay),
                                    manager.create(frequency),
                                    drive,
                                    SEQUENCES,
                                    null);
            double[] expected = recurrence(decay, frequency, drive, initial);
            float[] actual = states.toFloatArray();
            for (int i = 0; i < actual.length; i++) {
                Assert.assertEquals(actual[i], expected[i], 1e-5 * (1 + Math.abs(expected[i])));
            }
        }
    }
}
