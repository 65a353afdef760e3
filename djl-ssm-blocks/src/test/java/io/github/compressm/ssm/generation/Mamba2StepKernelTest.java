package io.github.compressm.ssm.generation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.compressm.ssm.Mamba2;
import java.util.Arrays;
import org.testng.Assert;
import org.testng.annotations.Test;

/** One Mamba-2 layer stepped on the JVM against the block's forward pass and its states. */
public class Mamba2StepKernelTest {

    private static final int FEATURES = 6;
    private static final int STEPS = 20;

    @Test
    public void stepsGiveTheBlocksOutputsAndItsStates() {
        Engine.getInstance().setRandomSeed(31);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block =
                    Mamba2.builder()
                            .setStateSize(5)
                            .optHeadDimension(4)
                            .optConvolutionKernel(3)
                            .optReturnState(true)
                            .build();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, STEPS, FEATURES));
            Mamba2StepKernel kernel = Mamba2StepKernel.of(block, ParameterValues.ofArrays());
            Assert.assertEquals(kernel.features(), FEATURES);
            StepKernel.Stepper stepper = kernel.newStepper();
            NDList out =
                    KernelAgainstBlock.stepAndCompare(block, stepper, manager, STEPS, FEATURES, 32);
            // The state is the block's (H, P, N) SSM state and then its (k - 1, d) inputs.
            float[] state = stepper.state();
            NDArray ssmState = out.get(1);
            NDArray convState = out.get(2);
            Assert.assertEquals(ssmState.getShape(), new Shape(1, 3, 4, 5));
            int ssmLength = (int) ssmState.size();
            Assert.assertEquals(state.length, ssmLength + (int) convState.size());
            Assert.assertTrue(
                    JvmStepModelTest.relativeError(
                                    Arrays.copyOf(state, ssmLength), ssmState.toFloatArray())
                            < 1e-5,
                    "SSM state");
            Assert.assertEquals(
                    Arrays.copyOfRange(state, ssmLength, state.length),
                    convState.toFloatArray(),
                    1e-6f,
                    "convolution inputs");
        }
    }

    @Test
    public void anUninitialisedLayerIsRefused() {
        Mamba2 block = Mamba2.builder().setStateSize(4).build();
        IllegalStateException e =
                Assert.expectThrows(
                        IllegalStateException.class,
                        () -> Mamba2StepKernel.of(block, ParameterValues.ofArrays()));
        Assert.assertTrue(e.getMessage().contains("not initialised"), e.getMessage());
    }
}
