package io.github.compressm.ssm;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class S5Test {

    @DataProvider
    public Object[][] shapes() {
        // discretisation, batch, length, features, state: one step, a prime, long with padding.
        return new Object[][] {
            {Discretization.ZERO_ORDER_HOLD, 2, 1, 3, 4},
            {Discretization.ZERO_ORDER_HOLD, 3, 13, 2, 5},
            {Discretization.ZERO_ORDER_HOLD, 1, 257, 3, 16},
            {Discretization.BILINEAR, 2, 101, 4, 7},
        };
    }

    @Test(dataProvider = "shapes")
    public void forwardMatchesSequentialRecurrence(
            Discretization discretization, int batch, int length, int features, int state) {
        for (DiagonalScan scan : new DiagonalScan[] {DiagonalScan.CHUNKED, DiagonalScan.FFT}) {
            Engine.getInstance().setRandomSeed(5 + length);
            try (NDManager manager = NDManager.newBaseManager()) {
                S5 s5 =
                        S5.builder()
                                .setStateSize(state)
                                .optDiscretization(discretization)
                                .optScan(scan)
                                .build();
                double[][][] u = LruTest.randomInput(new Random(length), batch, length, features);
                NDArray input = LruTest.toArray(manager, u, DataType.FLOAT64);
                s5.initialize(manager, DataType.FLOAT64, input.getShape());
                double[][][] expected =
                        ReferenceRecurrence.run(s5.getRealization(), LruTest.feedthrough(s5), u);
                LruTest.assertClose(LruTest.forward(s5, input, false), expected, 1e-9);
            }
        }
    }

    @Test
    public void discreteSystemFollowsFromTheContinuousOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            S5 zoh = S5.builder().setStateSize(3).build();
            zoh.initialize(manager, DataType.FLOAT64, new Shape(1, 4, 2));
            double[] a = zoh.getParameters().get("lambda_re_log").getArray().exp().toDoubleArray();
            double[] omega = zoh.getParameters().get("lambda_im").getArray().toDoubleArray();
            double[] steps = zoh.getParameters().get("log_step").getArray().exp().toDoubleArray();
            double[] bRe = zoh.getParameters().get("B_re").getArray().toDoubleArray();
            double[] bIm = zoh.getParameters().get("B_im").getArray().toDoubleArray();
            DiagonalRealization system = zoh.getRealization();
            for (int k = 0; k < 3; k++) {
                Assert.assertTrue(steps[k] >= 0.001 && steps[k] <= 0.1, "step " + steps[k]);
                // lambda = exp(Delta Lambda), s = (lambda - 1) / Lambda, B_eff = s B.
                Complex lambda = new Complex(-a[k], omega[k]);
                double modulus = Math.exp(-a[k] * steps[k]);
                Complex discrete =
                        new Complex(
                                modulus * Math.cos(omega[k] * steps[k]),
                                modulus * Math.sin(omega[k] * steps[k]));
                Assert.assertEquals(system.eigenvalue(k).re(), discrete.re(), 1e-12);
                Assert.assertEquals(system.eigenvalue(k).im(), discrete.im(), 1e-12);
                Complex scale =
                        new Complex(discrete.re() - 1, discrete.im()).times(lambda.reciprocal());
                Complex b = scale.times(new Complex(bRe[2 * k], bIm[2 * k]));
                Assert.assertEquals(system.inputRow(k)[0].re(), b.re(), 1e-12);
                Assert.assertEquals(system.inputRow(k)[0].im(), b.im(), 1e-12);
            }
        }
    }

    @Test
    public void hippoNInitialisationHasTheMatrixFrequencies() {
        for (int n : new int[] {1, 4, 16, 64}) {
            double[] omega = HippoN.frequencies(n);
            double[] expected = hippoNFrequencies(2 * n);
            Assert.assertEquals(omega.length, n);
            for (int k = 0; k < n; k++) {
                Assert.assertEquals(
                        omega[k], expected[k], 1e-9 * expected[0], "omega " + k + " of " + n);
            }
        }
        // Size 2: A_N = [[-1/2, sqrt(3) / 2], [-sqrt(3) / 2, -1/2]], one pair -1/2 +- i omega.
        Assert.assertEquals(HippoN.frequencies(1)[0], Math.sqrt(3) / 2, 1e-12);
    }

    /**
     * The positive imaginary parts, descending, of the eigenvalues of HiPPO-N of size {@code m},
     * from the definitions (Gu et al., HiPPO and S4): HiPPO-LegS {@code A_jk = -sqrt((2j + 1)(2k +
     * 1))} below the diagonal, {@code -(j + 1)} on it, zero above, and its normal part {@code A_N =
     * A + P P^T} with {@code P_j = sqrt(j + 1/2)}; the eigenvalues by EJML's general (Hessenberg
     * QR) eigendecomposition. Every eigenvalue of {@code A_N} has real part {@code -1/2}.
     */
    private static double[] hippoNFrequencies(int m) {
        DMatrixRMaj a = new DMatrixRMaj(m, m);
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < m; k++) {
                double legS =
                        j > k ? -Math.sqrt((2.0 * j + 1) * (2.0 * k + 1)) : j == k ? -(j + 1) : 0;
                a.set(j, k, legS + Math.sqrt((j + 0.5) * (k + 0.5)));
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, false);
        Assert.assertTrue(eig.decompose(a), "HiPPO-N eigendecomposition");
        List<Double> positive = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            Complex_F64 lambda = eig.getEigenvalue(i);
            Assert.assertEquals(lambda.real, -0.5, 1e-9 * m, "real part of eigenvalue " + i);
            if (lambda.imaginary > 0) {
                positive.add(lambda.imaginary);
            }
        }
        Assert.assertEquals(positive.size(), m / 2, "conjugate pairs");
        positive.sort(Comparator.reverseOrder());
        return positive.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    public void gradientsSurviveAGarbageCollectionBeforeTheBackwardPass() {
        // The backward pass reads what the forward pass kept; none of it may live in Java memory
        // that a collection between the two passes can free (a Java number operand of a product
        // once did, in the bilinear transform).
        for (Discretization discretization : Discretization.values()) {
            for (int attempt = 0; attempt < 3; attempt++) {
                Assert.assertEquals(
                        gradients(discretization, true),
                        gradients(discretization, false),
                        discretization + ", attempt " + attempt);
            }
        }
    }

    /**
     * Three states, with time steps large enough for finite differences to resolve, on the chunked
     * scan (its two layouts; FftDiagonalScanTest checks the FFT scan's gradients).
     */
    private static S5 gradientTestLayer(Discretization discretization) {
        return S5.builder()
                .setStateSize(3)
                .optDiscretization(discretization)
                .optStepRange(0.05, 0.5)
                .optScan(DiagonalScan.CHUNKED)
                .build();
    }

    private static double[] gradients(Discretization discretization, boolean collectGarbage) {
        Engine.getInstance().setRandomSeed(12);
        try (NDManager manager = NDManager.newBaseManager()) {
            S5 s5 = gradientTestLayer(discretization);
            NDArray input =
                    LruTest.toArray(
                            manager,
                            LruTest.randomInput(new Random(5), 2, 23, 2),
                            DataType.FLOAT64);
            s5.initialize(manager, DataType.FLOAT64, input.getShape());
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = LruTest.forward(s5, input, true).square().sum();
                if (collectGarbage) {
                    System.gc();
                }
                collector.backward(loss);
            }
            return s5.getParameters().get("lambda_re_log").getArray().getGradient().toDoubleArray();
        }
    }

    @Test
    public void gradientsMatchFiniteDifferences() {
        // 2 features: the layout changes on the input's side; 7 (more than 2 x 3): the state's.
        for (int features : new int[] {2, 7}) {
            for (Discretization discretization : Discretization.values()) {
                Engine.getInstance().setRandomSeed(12);
                LruTest.assertGradientsMatchFiniteDifferences(
                        gradientTestLayer(discretization),
                        features,
                        discretization + ", " + features + " features");
            }
        }
    }

    @Test
    public void newRealizationsMapBackToStableContinuousParameters() {
        for (Discretization discretization : Discretization.values()) {
            try (NDManager manager = NDManager.newBaseManager()) {
                S5 s5 = S5.builder().setStateSize(5).optDiscretization(discretization).build();
                double[][][] u = LruTest.randomInput(new Random(10), 2, 25, 2);
                NDArray input = LruTest.toArray(manager, u, DataType.FLOAT64);
                s5.initialize(manager, DataType.FLOAT64, input.getShape());
                // A negative-phase state and a real negative eigenvalue (phase pi).
                DiagonalRealization system =
                        new DiagonalRealization(
                                new double[] {0.6, -0.7},
                                new double[] {-0.5, 0},
                                new double[][] {{0.3, -0.2}, {-0.4, 0.9}},
                                new double[][] {{0.1, 0.4}, {0, 0}},
                                new double[][] {{1, -0.3}, {0.2, 0.7}},
                                new double[][] {{0.3, 0}, {-0.6, 0}});
                s5.setRealization(system);
                Assert.assertEquals(s5.getStateSize(), 2);
                double[] reLog = s5.getParameters().get("lambda_re_log").getArray().toDoubleArray();
                for (double v : reLog) {
                    Assert.assertTrue(Double.isFinite(v), discretization + ": " + v);
                }
                LruTest.assertClose(
                        LruTest.forward(s5, input, false),
                        ReferenceRecurrence.run(system, LruTest.feedthrough(s5), u),
                        1e-9);
            }
        }
    }

    @Test
    public void realEigenvalueFromCompressionLearnsAPhase() {
        // Im Lambda starts at REAL_MODE_PHASE * -log(0.9) / Delta, not at 0, where its gradient
        // vanishes. Adam moves Im Lambda by about the learning rate per step, the discrete phase
        // by Delta times that: a large step lets 100 steps reach the target.
        double learnt =
                RealModeTraining.learntPhase(
                        S5.builder().setStateSize(1).optStepRange(0.5, 0.5).build(), 100);
        Assert.assertTrue(learnt > 0.3, "phase " + learnt);
    }

    @Test
    public void saveLoadKeepsShrunkSizeAndDiscretization() throws Exception {
        Engine.getInstance().setRandomSeed(34);
        Path dir = Files.createTempDirectory("s5-save");
        double[][][] u = LruTest.randomInput(new Random(13), 2, 40, 3);
        try (Model model = Model.newInstance("s5")) {
            S5 s5 = S5.builder().setStateSize(8).optDiscretization(Discretization.BILINEAR).build();
            model.setBlock(s5);
            NDArray input = LruTest.toArray(model.getNDManager(), u, DataType.FLOAT32);
            s5.initialize(model.getNDManager(), DataType.FLOAT32, input.getShape());
            s5.setRealization(LruTest.keepStates(s5.getRealization(), 1, 4, 6));
            float[] before = LruTest.forward(s5, input, false).toFloatArray();
            model.save(dir, "s5");
            try (Model loaded = Model.newInstance("s5")) {
                S5 fresh = S5.builder().setStateSize(8).build();
                loaded.setBlock(fresh);
                loaded.load(dir, "s5");
                Assert.assertEquals(fresh.getStateSize(), 3);
                Assert.assertEquals(fresh.getDiscretization(), Discretization.BILINEAR);
                NDArray again = LruTest.toArray(loaded.getNDManager(), u, DataType.FLOAT32);
                Assert.assertEquals(LruTest.forward(fresh, again, false).toFloatArray(), before);
            }
        }
    }

    @Test
    public void builderValidatesSettings() {
        assertBuildFails(S5.builder(), "S5 state size must be at least 1, got 0");
        assertBuildFails(S5.builder().setStateSize(2).optStepRange(0, 0.1), "0 < minStep");
        assertBuildFails(S5.builder().setStateSize(2).optStepRange(0.2, 0.1), "optStepRange");
        assertBuildFails(S5.builder().setStateSize(2).optDiscretization(null), "must not be null");
        assertBuildFails(S5.builder().setStateSize(2).optChunkLength(-1), "chunkLength");
    }

    private static void assertBuildFails(S5.Builder builder, String fragment) {
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, builder::build);
        Assert.assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
