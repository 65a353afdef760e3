package io.github.compressm.ssm.generation;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.compressm.ssm.SsmModels;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntFunction;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * A family outside the library joins the JVM path through a {@link StepKernelFactory} listed under
 * {@code META-INF/services} (this module's test resources list {@link DoublingKernelFactory}).
 */
public class StepKernelFactoryTest {

    private static final int VOCABULARY = 5;

    @Test
    public void aListedFactoryStepsItsFamily() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock model = model(manager, i -> new DoublingSsm());
            long[] ids = new Random(3).longs(12, 0, VOCABULARY).toArray();
            float[] expected =
                    model.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.create(ids, new Shape(1, ids.length))),
                                    false)
                            .singletonOrThrow()
                            .toFloatArray();
            JvmStepModel.Session session = JvmStepModel.of(model).newSession();
            for (int t = 0; t < ids.length; t++) {
                float[] logits = session.step((int) ids[t]);
                for (int v = 0; v < VOCABULARY; v++) {
                    Assert.assertEquals(logits[v], expected[t * VOCABULARY + v], 1e-5, "step " + t);
                }
            }
        }
    }

    @Test
    public void anSsmWithoutAFactoryIsRefusedNamingTheFallback() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock model = model(manager, i -> LambdaBlock.singleton(x -> x));
            UnsupportedOperationException e =
                    Assert.expectThrows(
                            UnsupportedOperationException.class, () -> JvmStepModel.of(model));
            Assert.assertTrue(e.getMessage().contains("META-INF/services"), e.getMessage());
            Assert.assertTrue(e.getMessage().contains("DjlGenerator"), e.getMessage());
        }
    }

    private static SequentialBlock model(NDManager manager, IntFunction<Block> ssm) {
        SequentialBlock model =
                SsmModels.builder()
                        .setHiddenSize(4)
                        .setOutputs(VOCABULARY)
                        .optLayers(2)
                        .optSsmFactory(ssm)
                        .optTokenVocabulary(VOCABULARY)
                        .buildSequenceToSequence();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        return model;
    }

    /** A memoryless "SSM" of another family: {@code y = 2 u}. */
    public static final class DoublingSsm extends AbstractBlock {

        /** Creates the block. */
        public DoublingSsm() {
            super((byte) 1);
        }

        /** {@inheritDoc} */
        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            return new NDList(inputs.head().mul(2));
        }

        /** {@inheritDoc} */
        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    /** The step of {@link DoublingSsm}, found through {@code META-INF/services}. */
    public static final class DoublingKernelFactory implements StepKernelFactory {

        /** {@inheritDoc} */
        @Override
        public Optional<StepKernel> create(Block ssm, ParameterValues values) {
            if (!(ssm instanceof DoublingSsm)) {
                return Optional.empty();
            }
            int features = Math.toIntExact(ssm.getInputShapes()[0].get(2));
            return Optional.of(
                    new StepKernel() {
                        @Override
                        public int features() {
                            return features;
                        }

                        @Override
                        public Stepper newStepper() {
                            return new Stepper() {
                                @Override
                                public void step(float[] input, float[] output) {
                                    for (int i = 0; i < features; i++) {
                                        output[i] = 2 * input[i];
                                    }
                                }

                                @Override
                                public float[] state() {
                                    return new float[0];
                                }
                            };
                        }
                    });
        }
    }
}
