package io.github.compressm.ssm.generation;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Random;
import org.testng.Assert;

/** A kernel's stepper run through a random input beside its block's forward pass. */
final class KernelAgainstBlock {

    private KernelAgainstBlock() {}

    /**
     * Runs the block on a random sequence, steps the stepper through the same inputs and checks
     * every step's output against the block's (relative error below {@code 1e-5}).
     *
     * @param block the initialised block, returning its states after its output
     * @param stepper a new stepper of the block's kernel
     * @param manager the manager of the block
     * @param steps the sequence length
     * @param features the features
     * @param seed the seed of the input
     * @return the block's outputs: the sequence's output and its final states
     */
    static NDList stepAndCompare(
            Block block,
            StepKernel.Stepper stepper,
            NDManager manager,
            int steps,
            int features,
            long seed) {
        float[] u = new float[steps * features];
        Random random = new Random(seed);
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) random.nextGaussian();
        }
        NDList out =
                block.forward(
                        new ParameterStore(manager, false),
                        new NDList(manager.create(u, new Shape(1, steps, features))),
                        false);
        float[] expected = out.get(0).toFloatArray();
        float[] y = new float[features];
        for (int t = 0; t < steps; t++) {
            stepper.step(Arrays.copyOfRange(u, t * features, (t + 1) * features), y);
            float[] want = Arrays.copyOfRange(expected, t * features, (t + 1) * features);
            Assert.assertTrue(
                    JvmStepModelTest.relativeError(y, want) < 1e-5, "output at step " + t);
        }
        return out;
    }
}
