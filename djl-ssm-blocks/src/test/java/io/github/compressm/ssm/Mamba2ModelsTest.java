package io.github.compressm.ssm;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import org.testng.Assert;
import org.testng.annotations.Test;

/** {@link Mamba2} inside {@link SsmResidualBlock} and {@link SsmModels}. */
public class Mamba2ModelsTest {

    @Test
    public void residualLayerCarriesBothStates() {
        Engine.getInstance().setRandomSeed(31);
        try (NDManager manager = NDManager.newBaseManager()) {
            SsmResidualBlock layer =
                    SsmResidualBlock.builder()
                            .setSsm(
                                    Mamba2.builder()
                                            .setStateSize(4)
                                            .optChunkLength(3)
                                            .optReturnState(true)
                                            .build())
                            .optDropout(0)
                            .build();
            NDArray x = manager.randomNormal(new Shape(2, 10, 4));
            layer.initialize(manager, DataType.FLOAT32, x.getShape());
            ParameterStore store = new ParameterStore(manager, false);
            NDList whole = layer.forward(store, new NDList(x), false);
            Assert.assertEquals(whole.size(), 3);
            NDList halves = x.split(new long[] {6}, 1);
            NDList first = layer.forward(store, new NDList(halves.get(0)), false);
            NDList secondInputs = new NDList(halves.get(1));
            secondInputs.addAll(first.subNDList(1));
            NDList second = layer.forward(store, secondInputs, false);
            NDArray pieces = NDArrays.concat(new NDList(first.head(), second.head()), 1);
            Assert.assertTrue(whole.head().allClose(pieces, 1e-5, 1e-5, false), "outputs differ");
            Assert.assertTrue(whole.get(1).allClose(second.get(1), 1e-5, 1e-5, false));
            Assert.assertTrue(whole.get(2).allClose(second.get(2), 1e-5, 1e-5, false));
        }
    }

    @Test
    public void classifierOfMamba2LayersTrains() {
        Engine.getInstance().setRandomSeed(32);
        try (Model model = Model.newInstance("mamba2-classifier")) {
            SequentialBlock net =
                    SsmModels.builder()
                            .setHiddenSize(8)
                            .setOutputs(3)
                            .optLayers(2)
                            .optSsmFactory(i -> Mamba2.builder().setStateSize(4).build())
                            .buildClassifier();
            model.setBlock(net);
            try (Trainer trainer =
                    model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
                NDManager manager = trainer.getManager();
                NDArray x = manager.randomNormal(new Shape(4, 12, 2));
                NDArray labels = manager.create(new float[] {0, 1, 2, 1});
                trainer.initialize(x.getShape());
                float first = Float.NaN;
                float last = Float.NaN;
                for (int step = 0; step < 5; step++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new NDList(x)).head();
                        Assert.assertEquals(logits.getShape(), new Shape(4, 3));
                        NDArray loss =
                                trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
                        collector.backward(loss);
                        last = loss.getFloat();
                        first = step == 0 ? last : first;
                    }
                    trainer.step();
                }
                Assert.assertTrue(Float.isFinite(last));
                Assert.assertTrue(last < first, "loss " + first + " -> " + last);
            }
        }
    }
}
