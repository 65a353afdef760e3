package io.github.compressm.ssm.generation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.github.compressm.ssm.CompressedLayers;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.Mamba2;
import io.github.compressm.ssm.S5;
import io.github.compressm.ssm.SsmModels;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.testng.Assert;
import org.testng.SkipException;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The JVM step path against the model's DJL forward pass, for the diagonal families and Mamba-2.
 */
public class JvmStepModelTest {

    private static final int VOCABULARY = 11;
    private static final int STEPS = 256;
    private static final Size SMALL = new Size(VOCABULARY, 16, 12, 2);

    /** The served char-LM's architecture. */
    private static final Size DEPLOYED = new Size(96, 64, 64, 4);

    /** The served char-LM's architecture with Mamba-2 layers, of smaller states. */
    private static final Size DEPLOYED_MAMBA2 = new Size(96, 64, 32, 4);

    private static final Family LRU =
            new Family(
                    "lru",
                    (n, returnState) ->
                            Lru.builder().setStateSize(n).optReturnState(returnState).build());

    @DataProvider
    public static Object[][] families() {
        // Longer steps than the default: livelier dynamics over the test's sequences.
        Family s5 =
                new Family(
                        "s5",
                        (n, returnState) ->
                                S5.builder()
                                        .optStepRange(0.01, 0.5)
                                        .setStateSize(n)
                                        .optReturnState(returnState)
                                        .build());
        // Four heads and a shorter kernel than the default in the small model.
        Family smallMamba2 =
                new Family(
                        "mamba2",
                        (n, returnState) ->
                                Mamba2.builder()
                                        .setStateSize(n)
                                        .optHeadDimension(8)
                                        .optConvolutionKernel(3)
                                        .optReturnState(returnState)
                                        .build());
        Family mamba2 =
                new Family(
                        "mamba2",
                        (n, returnState) ->
                                Mamba2.builder()
                                        .setStateSize(n)
                                        .optReturnState(returnState)
                                        .build());
        return new Object[][] {
            {LRU, SMALL},
            {s5, SMALL},
            {smallMamba2, SMALL},
            {LRU, DEPLOYED},
            {s5, DEPLOYED},
            {mamba2, DEPLOYED_MAMBA2}
        };
    }

    @Test(dataProvider = "families")
    public void everyStepsLogitsAreTheForwardPasss(Family family, Size size) {
        Engine.getInstance().setRandomSeed(71);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock model = trainedModel(manager, family, size);
            int v = size.vocabulary();
            long[] ids = new Random(72).longs(STEPS, 0, v).toArray();
            float[] expected = forward(model, manager.create(ids, new Shape(1, STEPS)));
            JvmStepModel.Session session = JvmStepModel.of(model).newSession();
            double worst = 0;
            for (int t = 0; t < STEPS; t++) {
                float[] logits = session.step((int) ids[t]);
                worst =
                        Math.max(
                                worst,
                                relativeError(
                                        logits, Arrays.copyOfRange(expected, t * v, (t + 1) * v)));
            }
            Assert.assertTrue(worst <= 1e-4, family + " " + size + ": relative error " + worst);
        }
    }

    @Test(dataProvider = "families")
    public void greedyAndSampledContinuationsAreTheDjlPaths(Family family, Size size) {
        Engine.getInstance().setRandomSeed(73);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock model = trainedModel(manager, family, size);
            SequentialBlock stepping =
                    DjlGenerator.steppingCopy(
                            model,
                            architecture(family, size),
                            () -> family.layer().build(size.states(), true),
                            manager);
            int[] prompt = new Random(74).ints(20, 0, size.vocabulary()).toArray();
            JvmStepModel stepModel = JvmStepModel.of(model);
            for (double temperature : new double[] {0, 1}) {
                int[] djl =
                        new DjlGenerator(stepping, manager, temperature, 1)
                                .continueFrom(prompt, STEPS);
                int[] jvm = new JvmGenerator(stepModel, temperature, 1).continueFrom(prompt, STEPS);
                Assert.assertEquals(
                        jvm, djl, family + " " + size + " at temperature " + temperature);
                if (temperature > 0) {
                    // Not a constant run: the sampled comparison covers many tokens.
                    Assert.assertTrue(
                            Arrays.stream(jvm).distinct().count() > 3, Arrays.toString(jvm));
                }
            }
        }
    }

    @Test
    public void geluIsTheEnginesExactGelu() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] x = new float[801];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i - 400) / 50f;
            }
            float[] expected = Activation.gelu(manager.create(x)).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                double exact = Activations.exactGelu(x[i]);
                double scale = Math.max(1, Math.abs(x[i]));
                // The step's GELU is the exact one to float precision (ActivationsTest).
                Assert.assertEquals(Activations.gelu(x[i]), exact, 2e-7 * scale, "x=" + x[i]);
                // The engine computes 1 + erf(x / sqrt 2) in float, a few units in the last place
                // of 1 times |x| / 2 off; how many depends on its CPU kernels (2.1e-7 max(1, |x|)
                // with the AVX-512 kernels of a Zen 4 CPU), and its tail underflows below -6.
                Assert.assertEquals(expected[i], exact, 3e-7 * scale, "x=" + x[i]);
            }
        }
    }

    @Test
    public void erfcHasItsRelativePrecisionInBothTails() {
        double[][] table = {
            {-2, 1.995322265018953},
            {-0.5, 1.520499877813047},
            {0, 1},
            {1, 0.157299207050285},
            {2, 0.004677734981047},
            {3, 2.209049699858544e-05},
            {5, 1.537459794428035e-12}
        };
        for (double[] row : table) {
            Assert.assertEquals(
                    Activations.erfc(row[0]), row[1], 1.2e-7 * row[1], "erfc(" + row[0] + ")");
        }
    }

    @Test
    public void aClassifierIsRefusedNamingTheFallback() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock classifier =
                    SsmModels.builder()
                            .setHiddenSize(4)
                            .setStateSize(3)
                            .setOutputs(2)
                            .optTokenVocabulary(5)
                            .buildClassifier();
            classifier.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            UnsupportedOperationException e =
                    Assert.expectThrows(
                            UnsupportedOperationException.class, () -> JvmStepModel.of(classifier));
            Assert.assertTrue(e.getMessage().contains("DjlGenerator"), e.getMessage());
            Assert.assertTrue(e.getMessage().contains("generation=djl"), e.getMessage());
        }
    }

    @Test(dataProvider = "families")
    public void aStepAllocatesNothing(Family family, Size size) {
        if (!(ManagementFactory.getThreadMXBean()
                        instanceof com.sun.management.ThreadMXBean counter)
                || !counter.isThreadAllocatedMemorySupported()) {
            throw new SkipException("this JVM does not count allocated bytes");
        }
        Engine.getInstance().setRandomSeed(76);
        try (NDManager manager = NDManager.newBaseManager()) {
            JvmStepModel.Session session =
                    JvmStepModel.of(trainedModel(manager, family, size)).newSession();
            long thread = Thread.currentThread().getId();
            session.step(0);
            long before = counter.getThreadAllocatedBytes(thread);
            for (int t = 0; t < STEPS; t++) {
                session.step(t % size.vocabulary());
            }
            long allocated = counter.getThreadAllocatedBytes(thread) - before;
            // Less than one small array per step: the counter itself may allocate a little.
            Assert.assertTrue(
                    allocated < 16L * STEPS, family + " " + size + ": " + allocated + " bytes");
        }
    }

    @Test
    public void aTokenOutsideTheVocabularyIsRefused() {
        Engine.getInstance().setRandomSeed(75);
        try (NDManager manager = NDManager.newBaseManager()) {
            JvmStepModel model = JvmStepModel.of(trainedModel(manager, LRU, SMALL));
            IllegalArgumentException e =
                    Assert.expectThrows(
                            IllegalArgumentException.class,
                            () -> model.newSession().step(VOCABULARY));
            Assert.assertTrue(e.getMessage().contains("not in [0, 11)"), e.getMessage());
        }
    }

    /**
     * A randomly initialised model whose first layer is cut to half its states, as compression
     * leaves it ({@link CompressedLayers}).
     */
    static SequentialBlock trainedModel(NDManager manager, Family family, Size size) {
        SequentialBlock model = architecture(family, size).buildSequenceToSequence();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
        CompressedLayers.cutFirstLayer(model, size.states() / 2);
        return model;
    }

    static SsmModels.Builder architecture(Family family, Size size) {
        return SsmModels.builder()
                .setHiddenSize(size.features())
                .setOutputs(size.vocabulary())
                .optLayers(size.layers())
                .optDropout(0.1f)
                .optSsmFactory(i -> family.layer().build(size.states(), false))
                .optTokenVocabulary(size.vocabulary());
    }

    /** A model's sizes. */
    record Size(int vocabulary, int features, int states, int layers) {}

    /** An SSM family under test, with the settings of its layers. */
    record Family(String name, Layer layer) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Builds one SSM layer. */
    interface Layer {
        Block build(int stateSize, boolean returnState);
    }

    private static float[] forward(SequentialBlock model, NDArray ids) {
        return model.forward(new ParameterStore(ids.getManager(), false), new NDList(ids), false)
                .singletonOrThrow()
                .toFloatArray();
    }

    /** {@code ||a - b|| / ||b||}. */
    static double relativeError(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < b.length; i++) {
            diff += (a[i] - (double) b[i]) * (a[i] - (double) b[i]);
            norm += (double) b[i] * b[i];
        }
        return Math.sqrt(diff / norm);
    }
}
