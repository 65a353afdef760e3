package io.github.compressm.ssm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The FFT scan against the chunked scan (itself checked against the sequential recurrence and
 * finite differences): outputs, final states and every gradient, with and without an initial state;
 * finite differences of its own; the automatic choice and the option's checks.
 */
public class FftDiagonalScanTest {

    private static final int FEATURES = 3;

    @DataProvider
    public Object[][] cases() {
        // state, length, batch, family: N = 8..64, odd lengths (one step, a prime, one chunk plus
        // one, a length whose padded transform is not a power of two), S5 for a complex scale.
        return new Object[][] {
            {8, 1, 2, "Lru"},
            {8, 17, 3, "Lru"},
            {16, 101, 2, "Lru"},
            {32, 57, 1, "Lru"},
            {64, 257, 2, "Lru"},
            {8, 33, 2, "S5"},
            {24, 99, 2, "S5"}
        };
    }

    @Test(dataProvider = "cases")
    public void doublePrecisionOutputsStatesAndGradientsEqualTheChunkedScan(
            int state, int length, int batch, String family) {
        for (boolean initial : new boolean[] {false, true}) {
            Engine.getInstance().setRandomSeed(state + length);
            try (NDManager manager = NDManager.newBaseManager()) {
                Pair pair =
                        new Pair(family, state, manager, batch, length, initial, DataType.FLOAT64);
                Run fft = pair.run(pair.fft);
                Run chunked = pair.run(pair.chunked);
                String what = family + " N=" + state + " L=" + length + " initial=" + initial;
                // Both are exact up to rounding of double precision (about 1e-16 per operation):
                // 1e-10 of the largest value leaves a wide margin and still fails any wrong term.
                for (int k = 0; k < fft.values.size(); k++) {
                    assertClose(fft.values.get(k), chunked.values.get(k), 1e-10, what, k);
                }
            }
        }
    }

    @DataProvider
    public Object[][] stateSizes() {
        return new Object[][] {{8}, {16}, {32}, {64}};
    }

    @Test(dataProvider = "stateSizes")
    public void singlePrecisionOutputsAndGradientsEqualTheChunkedScanOnLongSequences(int state) {
        Engine.getInstance().setRandomSeed(100 + state);
        try (NDManager manager = NDManager.newBaseManager()) {
            Pair pair = new Pair("Lru", state, manager, 2, 784, true, DataType.FLOAT32);
            Run fft = pair.run(pair.fft);
            Run chunked = pair.run(pair.chunked);
            // Both scans compute lambda^t with the phase t * theta in float32: at t = 783 and theta
            // up to 2 pi its rounding error is up to 783 * 6.3 * 6e-8 = 3e-4 rad, and the two
            // scans round differently (the chunked one composes chunk powers), so states and
            // outputs may differ by a few 1e-4 of their scale; 2e-3 is the bound the layer's
            // float32
            // test against the sequential recurrence uses.
            for (int k = 0; k < fft.values.size(); k++) {
                assertClose(fft.values.get(k), chunked.values.get(k), 2e-3, "N=" + state, k);
            }
        }
    }

    @Test
    public void parameterGradientsMatchFiniteDifferences() {
        Engine.getInstance().setRandomSeed(21);
        LruTest.assertGradientsMatchFiniteDifferences(
                Lru.builder()
                        .setStateSize(4)
                        .optRMin(0.5)
                        .optRMax(0.95)
                        .optScan(DiagonalScan.FFT)
                        .build(),
                FEATURES,
                "Lru FFT");
        Engine.getInstance().setRandomSeed(22);
        LruTest.assertGradientsMatchFiniteDifferences(
                S5.builder().setStateSize(3).optScan(DiagonalScan.FFT).build(), 7, "S5 FFT");
    }

    @Test
    public void initialStateGradientMatchesFiniteDifferences() {
        Engine.getInstance().setRandomSeed(23);
        try (NDManager manager = NDManager.newBaseManager()) {
            Pair pair = new Pair("Lru", 3, manager, 2, 19, true, DataType.FLOAT64);
            Run run = pair.run(pair.fft);
            double[] analytic = run.values.get(run.values.size() - 1);
            double[] x0 = pair.initial.toDoubleArray();
            double[] numeric =
                    FiniteDifferences.central(
                            x0,
                            1e-6,
                            v -> {
                                NDArray initial = manager.create(v, pair.initial.getShape());
                                NDList out = pair.forward(pair.fft, initial, false);
                                return out.get(0).mul(pair.weights).sum().getDouble()
                                        + out.get(1).mul(pair.stateWeights).sum().getDouble();
                            });
            for (int k = 0; k < x0.length; k++) {
                Assert.assertEquals(analytic[k], numeric[k], 1e-7, "d loss / d x0[" + k + "]");
            }
        }
    }

    @Test
    public void outputsMatchTheSequentialRecurrence() {
        Engine.getInstance().setRandomSeed(24);
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][][] u = LruTest.randomInput(new Random(24), 2, 131, 5);
            NDArray input = LruTest.toArray(manager, u, DataType.FLOAT64);
            Lru lru = Lru.builder().setStateSize(9).optScan(DiagonalScan.FFT).build();
            lru.initialize(manager, DataType.FLOAT64, input.getShape());
            double[][][] expected =
                    ReferenceRecurrence.run(lru.getRealization(), LruTest.feedthrough(lru), u);
            LruTest.assertClose(LruTest.forward(lru, input, false), expected, 1e-9);
        }
    }

    @Test
    public void theChunkedScanIsTheDefaultAndTheSettingIsKept() {
        Assert.assertEquals(Lru.builder().setStateSize(4).build().getScan(), DiagonalScan.CHUNKED);
        Assert.assertEquals(
                S5.builder()
                        .setStateSize(4)
                        .optChunkLength(5)
                        .optScan(DiagonalScan.FFT)
                        .build()
                        .getScan(),
                DiagonalScan.FFT);
    }

    @Test
    public void transformsHaveAtLeastTwiceTheLengthMinusOnePointsOfSmallPrimes() {
        Assert.assertEquals(FftDiagonalScan.transformLength(1), 1);
        Assert.assertEquals(FftDiagonalScan.transformLength(2), 3);
        Assert.assertEquals(FftDiagonalScan.transformLength(4), 8); // 7 is prime
        Assert.assertEquals(FftDiagonalScan.transformLength(17), 36); // 33 = 3 * 11
        Assert.assertEquals(FftDiagonalScan.transformLength(784), 1600); // 1567 is prime
        Assert.assertEquals(FftDiagonalScan.transformLength(1024), 2048);
    }

    @Test
    public void rejectsAMissingScanWithAMessage() {
        IllegalArgumentException lru =
                Assert.expectThrows(
                        IllegalArgumentException.class,
                        () -> Lru.builder().setStateSize(4).optScan(null).build());
        Assert.assertEquals(
                lru.getMessage(),
                "Lru scan must be one of [CHUNKED, FFT], got null (leave optScan unset for"
                        + " CHUNKED)");
        IllegalArgumentException s5 =
                Assert.expectThrows(
                        IllegalArgumentException.class,
                        () -> S5.builder().setStateSize(4).optScan(null).build());
        Assert.assertTrue(s5.getMessage().startsWith("S5 scan must be one of"), s5.getMessage());
    }

    private static void assertClose(
            double[] actual, double[] expected, double tolerance, String what, int k) {
        Assert.assertEquals(actual.length, expected.length, what + " value " + k);
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < actual.length; i++) {
            Assert.assertEquals(
                    actual[i],
                    expected[i],
                    tolerance * Math.max(scale, Double.MIN_NORMAL),
                    what + ", value " + k + " (" + Run.NAMES + "), element " + i);
        }
    }

    /** The values a run compares: outputs, final state, parameter gradients, then x0's gradient. */
    private record Run(List<double[]> values) {
        static final String NAMES = "0 output, 1 final state, then gradients";
    }

    /** Two layers of one family with the same parameters, one per scan, and their inputs. */
    private static final class Pair {

        final AbstractDiagonalSsm fft;
        final AbstractDiagonalSsm chunked;
        final NDArray input;
        final NDArray initial;
        final NDArray weights;
        final NDArray stateWeights;

        Pair(
                String family,
                int state,
                NDManager manager,
                int batch,
                int length,
                boolean init,
                DataType type) {
            fft = build(family, state, DiagonalScan.FFT);
            chunked = build(family, state, DiagonalScan.CHUNKED);
            Random random = new Random(state * 31L + length);
            input = random(manager, random, type, batch, length, FEATURES);
            weights = random(manager, random, type, batch, length, FEATURES);
            stateWeights = random(manager, random, type, batch, 2, state);
            initial = init ? random(manager, random, type, batch, 2, state) : null;
            for (AbstractDiagonalSsm block : new AbstractDiagonalSsm[] {fft, chunked}) {
                if (init) {
                    block.initialize(manager, type, input.getShape(), initial.getShape());
                } else {
                    block.initialize(manager, type, input.getShape());
                }
            }
            for (Parameter p : fft.getParameters().values()) {
                NDArray to = chunked.getParameters().get(p.getName()).getArray();
                if (type == DataType.FLOAT32) {
                    to.set(p.getArray().toFloatArray());
                } else {
                    to.set(p.getArray().toDoubleArray());
                }
            }
        }

        /** Outputs, final state and gradients of a weighted sum of both, in double precision. */
        Run run(AbstractDiagonalSsm block) {
            List<double[]> values = new ArrayList<>();
            NDArray x0 = initial == null ? null : initial.duplicate();
            if (x0 != null) {
                x0.setRequiresGradient(true);
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = forward(block, x0, true);
                values.add(doubles(out.get(0)));
                values.add(doubles(out.get(1)));
                collector.backward(
                        out.get(0).mul(weights).sum().add(out.get(1).mul(stateWeights).sum()));
            }
            for (Parameter p : block.getParameters().values()) {
                values.add(doubles(p.getArray().getGradient()));
            }
            if (x0 != null) {
                values.add(doubles(x0.getGradient()));
            }
            return new Run(values);
        }

        NDList forward(AbstractDiagonalSsm block, NDArray x0, boolean training) {
            NDList inputs = x0 == null ? new NDList(input) : new NDList(input, x0);
            return block.forward(new ParameterStore(input.getManager(), false), inputs, training);
        }

        private static AbstractDiagonalSsm build(String family, int state, DiagonalScan scan) {
            if ("S5".equals(family)) {
                return S5.builder().setStateSize(state).optReturnState(true).optScan(scan).build();
            }
            // rMin 0.5: decays from 0.5 to 0.999, so both short and long memories are tested.
            return Lru.builder()
                    .setStateSize(state)
                    .optRMin(0.5)
                    .optReturnState(true)
                    .optScan(scan)
                    .build();
        }

        private static double[] doubles(NDArray array) {
            return array.toType(DataType.FLOAT64, false).toDoubleArray();
        }

        private static NDArray random(
                NDManager manager, Random random, DataType type, int... shape) {
            return LruTest.toArray(
                    manager, LruTest.randomInput(random, shape[0], shape[1], shape[2]), type);
        }
    }
}
