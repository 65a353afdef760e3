package io.github.compressm.ssm;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.Assert;
import org.testng.annotations.Test;

public class SsmModelsTest {

    private static final Logger LOGGER = LoggerFactory.getLogger(SsmModelsTest.class);

    @Test
    public void buildsClassifierAndSequenceModelsOfTheRightShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block classifier =
                    SsmModels.builder()
                            .setHiddenSize(6)
                            .setStateSize(5)
                            .setOutputs(3)
                            .optLayers(2)
                            .buildClassifier();
            Assert.assertEquals(run(classifier, manager.ones(new Shape(4, 9, 2))), new Shape(4, 3));
            Block tokens =
                    SsmModels.builder()
                            .setHiddenSize(6)
                            .setStateSize(5)
                            .setOutputs(11)
                            .optTokenVocabulary(7)
                            .buildSequenceToSequence();
            NDArray ids = manager.arange(0f, 14f).reshape(2, 7).toType(DataType.INT32, false);
            Assert.assertEquals(run(tokens, ids.mod(7)), new Shape(2, 7, 11));
        }
    }

    @Test
    public void builderRejectsMissingSettings() {
        IllegalArgumentException e =
                Assert.expectThrows(
                        IllegalArgumentException.class,
                        () -> SsmModels.builder().setStateSize(4).setOutputs(2).buildClassifier());
        Assert.assertTrue(e.getMessage().contains("hidden size"), e.getMessage());
        e =
                Assert.expectThrows(
                        IllegalArgumentException.class, () -> SsmResidualBlock.builder().build());
        Assert.assertTrue(e.getMessage().contains("setSsm"), e.getMessage());
    }

    @Test
    public void trainingStepsLeaveNoArraysOnTheModelManager() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block real =
                    SsmModels.builder()
                            .setHiddenSize(4)
                            .setStateSize(6)
                            .setOutputs(3)
                            .optLayers(2)
                            .buildClassifier();
            Block tokens =
                    SsmModels.builder()
                            .setHiddenSize(4)
                            .setStateSize(6)
                            .setOutputs(5)
                            .optTokenVocabulary(5)
                            .buildSequenceToSequence();
            // S5 layers, one of each discretisation, compute more arrays from their parameters.
            Block s5 =
                    SsmModels.builder()
                            .setHiddenSize(4)
                            .setOutputs(3)
                            .optLayers(2)
                            .optSsmFactory(
                                    i ->
                                            S5.builder()
                                                    .setStateSize(6)
                                                    .optDiscretization(Discretization.values()[i])
                                                    .build())
                            .buildClassifier();
            assertNoLeak(manager, real, new Shape(2, 30, 2), DataType.FLOAT32);
            assertNoLeak(manager, tokens, new Shape(2, 30), DataType.INT32);
            assertNoLeak(manager, s5, new Shape(2, 30, 2), DataType.FLOAT32);
        }
    }

    private static void assertNoLeak(NDManager parent, Block block, Shape shape, DataType type) {
        try (NDManager model = parent.newSubManager()) {
            block.initialize(model, DataType.FLOAT32, shape);
            int before = ((BaseNDManager) model).getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                try (NDManager batch = model.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray x = batch.randomUniform(0, 5, shape).toType(type, false);
                    NDArray y =
                            block.forward(new ParameterStore(batch, false), new NDList(x), true)
                                    .singletonOrThrow();
                    collector.backward(y.sum());
                }
            }
            Assert.assertEquals(
                    ((BaseNDManager) model).getManagedArrays().size(),
                    before,
                    "arrays left on the model's manager by training steps");
        }
    }

    /**
     * The label is the sign of the sum of the first 8 of 48 noise steps: the model must remember
     * early inputs through the recurrence and ignore the later ones.
     */
    @Test
    public void easyTrainLearnsALongMemoryTask() throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed(1234);
        int length = 48;
        try (Model model = Model.newInstance("memory")) {
            model.setBlock(
                    SsmModels.builder()
                            .setHiddenSize(16)
                            .setStateSize(16)
                            .setOutputs(2)
                            .optDropout(0f)
                            .buildClassifier());
            NDManager manager = model.getNDManager();
            ArrayDataset train = memoryTask(manager, new Random(1), 2000, length);
            ArrayDataset test = memoryTask(manager, new Random(2), 500, length);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .addEvaluator(new Accuracy())
                            .addTrainingListeners(TrainingListener.Defaults.basic())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(0.01f))
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(50, length, 1));
                EasyTrain.fit(trainer, 15, train, test);
                TrainingResult result = trainer.getTrainingResult();
                float accuracy = result.getValidateEvaluation("Accuracy");
                LOGGER.info("memory task validation accuracy {}", accuracy);
                Assert.assertTrue(accuracy >= 0.9f, "validation accuracy " + accuracy);
            }
        }
    }

    private static ArrayDataset memoryTask(
            NDManager manager, Random random, int samples, int length) {
        float[] x = new float[samples * length];
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            double sum = 0;
            for (int t = 0; t < length; t++) {
                x[i * length + t] = (float) random.nextGaussian();
                if (t < 8) {
                    sum += x[i * length + t];
                }
            }
            y[i] = sum > 0 ? 1 : 0;
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new Shape(samples, length, 1)))
                .optLabels(manager.create(y))
                .setSampling(50, true)
                .build();
    }

    private static Shape run(Block block, NDArray input) {
        block.initialize(input.getManager(), DataType.FLOAT32, input.getShape());
        return block.forward(
                        new ParameterStore(input.getManager(), false), new NDList(input), false)
                .singletonOrThrow()
                .getShape();
    }
}
