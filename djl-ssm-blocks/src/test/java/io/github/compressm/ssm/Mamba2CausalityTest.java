package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.testng.Assert;
import org.testng.annotations.Test;

/** A Mamba2 output at step t depends on the inputs up to t only, in a residual model too. */
public class Mamba2CausalityTest {

    @Test
    public void outputsDoNotDependOnLaterInputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Mamba2 block = Mamba2.builder().setStateSize(8).build();
            int length = 150;
            int cut = 97;
            NDArray u = manager.randomNormal(new Shape(2, length, 16));
            block.initialize(manager, DataType.FLOAT32, u.getShape());
            NDArray changed = u.duplicate();
            changed.set(
                    new NDIndex(":, " + cut + ":, :"),
                    manager.randomNormal(new Shape(2, length - cut, 16)));
            for (boolean training : new boolean[] {false, true}) {
                float[] before = prefix(block, u, cut, training);
                float[] after = prefix(block, changed, cut, training);
                Assert.assertEquals(after, before, 1e-6f, "training " + training);
                float[] later =
                        forward(block, u, training).get(":, " + cut + ":, :").toFloatArray();
                float[] laterChanged =
                        forward(block, changed, training).get(":, " + cut + ":, :").toFloatArray();
                Assert.assertNotEquals(laterChanged, later, "the change must show after the cut");
            }
        }
    }

    private static float[] prefix(Mamba2 block, NDArray input, int cut, boolean training) {
        return forward(block, input, training).get(":, :" + cut + ", :").toFloatArray();
    }

    private static NDArray forward(Mamba2 block, NDArray input, boolean training) {
        return block.forward(
                        new ParameterStore(input.getManager(), false), new NDList(input), training)
                .singletonOrThrow();
    }
}
