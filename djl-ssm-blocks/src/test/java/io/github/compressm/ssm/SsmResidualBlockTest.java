package io.github.compressm.ssm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class SsmResidualBlockTest {

    @DataProvider
    public Object[][] families() {
        return new Object[][] {{Lru.builder()}, {S5.builder()}};
    }

    @Test(dataProvider = "families")
    public void stepByStepWithTheSsmStateEqualsWholeSequence(
            AbstractDiagonalSsm.BaseBuilder<?> ssm) {
        Engine.getInstance().setRandomSeed(51);
        try (NDManager manager = NDManager.newBaseManager()) {
            SsmResidualBlock layer =
                    SsmResidualBlock.builder()
                            .setSsm(ssm.setStateSize(5).optReturnState(true).build())
                            .build();
            Shape input = new Shape(2, 9, 4);
            Shape state = new Shape(2, 2, 5);
            layer.initialize(manager, DataType.FLOAT32, input, state);
            Assert.assertEquals(
                    layer.getOutputShapes(new Shape[] {input}), new Shape[] {input, state});
            NDArray x = manager.randomNormal(input);
            NDList whole = forward(layer, new NDList(x));
            NDList outputs = new NDList();
            NDArray carried = null;
            for (NDArray step : x.split(9, 1)) {
                NDList out =
                        forward(
                                layer,
                                carried == null ? new NDList(step) : new NDList(step, carried));
                outputs.add(out.get(0));
                carried = out.get(1);
            }
            Assert.assertTrue(
                    whole.get(0).allClose(NDArrays.concat(outputs, 1), 1e-5, 1e-5, false),
                    "outputs differ");
            Assert.assertTrue(whole.get(1).allClose(carried, 1e-5, 1e-5, false), "states differ");
        }
    }

    @Test
    public void withoutStateReturnsTheOutputOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SsmResidualBlock layer =
                    SsmResidualBlock.builder()
                            .setSsm(Lru.builder().setStateSize(3).build())
                            .build();
            Shape input = new Shape(1, 6, 2);
            layer.initialize(manager, DataType.FLOAT32, input);
            Assert.assertEquals(layer.getOutputShapes(new Shape[] {input}), new Shape[] {input});
            Assert.assertEquals(forward(layer, new NDList(manager.ones(input))).size(), 1);
        }
    }

    private static NDList forward(SsmResidualBlock layer, NDList inputs) {
        return layer.forward(new ParameterStore(inputs.head().getManager(), false), inputs, false);
    }
}
