package io.github.compressm.ssm.generation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.compressm.ssm.AbstractDiagonalSsm;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.S5;
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
            StepKernel.Stepper stepper =
                    DiagonalStepKernel.of(layer, ParameterValues.ofArrays()).newStepper();
            Assert.assertEquals(stepper.state(), new float[2 * STATES], "the zero state");
            NDList out =
                    KernelAgainstBlock.stepAndCompare(layer, stepper, manager, STEPS, FEATURES, 38);
            // The block's final state is (batch, 2, state): real parts, then imaginary parts.
            Assert.assertEquals(out.get(1).getShape(), new Shape(1, 2, STATES));
            Assert.assertTrue(
                    JvmStepModelTest.relativeError(stepper.state(), out.get(1).toFloatArray())
                            < 1e-5,
                    "final state");
        }
    }
}
