package io.github.compressm.ssm.generation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.compressm.ssm.AbstractDiagonalSsm;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.S5;
import java.util.Arrays;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** One diagonal layer stepped on the JVM against the block's forward pass and its final state. */
public class DiagonalStepKernelTest {

    private static final int FEATURES = 3;
    private static final int STATES = 5;
    private static final int STEPS = 23;

    @DataProvider
    public static Object[][] layers() {
        return new Object[][] {
            {Lru.builder().setStateSize(STATES).optReturnState(true).build()},
            {S5.builder().setStateSize(STATES).optReturnState(true).build()}
        };
    }

    @Test(dataProvider = "layers")
    public void stepsGiveTheBlocksOutputsAndItsFinalState(AbstractDiagonalSsm layer) {
        Engine.getInstance().setRandomSeed(37);
        try (NDManager manager = NDManager.newBaseManager()) {
            layer.initialize(manager, DataType.FLOAT32, new Shape(1, STEPS, FEATURES));
            float[] u = new float[STEPS * FEATURES];
            Random random = new Random(38);
            for (int i = 0; i < u.length; i++) {
                u[i] = (float) random.nextGaussian();
            }
            NDList out =
                    layer.forward(
                            new ParameterStore(manager, false),
                            new NDList(manager.create(u, new Shape(1, STEPS, FEATURES))),
                            false);
            float[] expected = out.get(0).toFloatArray();
            StepKernel.Stepper stepper =
                    DiagonalStepKernel.of(layer, ParameterValues.ofArrays()).newStepper();
            Assert.assertEquals(stepper.state(), new float[2 * STATES], "the zero state");
            float[] y = new float[FEATURES];
            for (int t = 0; t < STEPS; t++) {
                stepper.step(Arrays.copyOfRange(u, t * FEATURES, (t + 1) * FEATURES), y);
                float[] want = Arrays.copyOfRange(expected, t * FEATURES, (t + 1) * FEATURES);
                Assert.assertTrue(
                        JvmStepModelTest.relativeError(y, want) < 1e-5, "output at step " + t);
            }
            // The block's final state is (batch, 2, state): real parts, then imaginary parts.
            Assert.assertEquals(out.get(1).getShape(), new Shape(1, 2, STATES));
            Assert.assertTrue(
                    JvmStepModelTest.relativeError(stepper.state(), out.get(1).toFloatArray())
                            < 1e-5,
                    "final state");
        }
    }
}
