package io.github.compressm.it;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.compressm.listener.CompreSsmListener;
import io.github.compressm.listener.FreshParameterTracker;
import io.github.compressm.ssm.S5;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * A downstream project's use of S5: its own {@link SequentialBlock} around {@code
 * S5.builder().setStateSize(64).build()}, trained by {@code EasyTrain.fit} with {@link
 * CompreSsmListener}, saved and reloaded into a freshly built graph.
 */
public class S5DownstreamTest {

    @Test
    public void s5InAUserGraphShrinksTrainsAndReloadsWithIdenticalOutputs() throws Exception {
        Engine.getInstance().setRandomSeed(2025);
        int epochs = 4;
        Path dir = Files.createTempDirectory("s5-downstream");
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset train = ReadmeSnippetTest.sinusoids(manager, 512, 32, 3);
            ArrayDataset validation = ReadmeSnippetTest.sinusoids(manager, 128, 32, 4);
            NDArray probe = validation.get(manager, 0).getData().head().expandDims(0);
            float[] trained;
            try (Model model = Model.newInstance("user")) {
                S5 s5 = S5.builder().setStateSize(64).build();
                model.setBlock(userGraph(s5));
                CompreSsmListener compressm =
                        CompreSsmListener.builder()
                                .setTotalEpochs(epochs)
                                .optTolerance(0.05)
                                .optWarmupFraction(0.25)
                                .build();
                DefaultTrainingConfig config =
                        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                                .addEvaluator(new Accuracy())
                                .optOptimizer(
                                        Optimizer.adam()
                                                .optLearningRateTracker(
                                                        FreshParameterTracker.wrap(
                                                                Tracker.fixed(1e-2f)))
                                                .build())
                                .addTrainingListeners(TrainingListener.Defaults.basic())
                                .addTrainingListeners(compressm);
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(32, ReadmeSnippetTest.LENGTH, 1));
                    EasyTrain.fit(trainer, epochs, train, validation);
                    float accuracy = trainer.getTrainingResult().getValidateEvaluation("Accuracy");
                    Assert.assertTrue(s5.getStateSize() < 64, compressm.getReport().toString());
                    // Four balanced classes: chance is 0.25.
                    Assert.assertTrue(accuracy > 0.7, "validation accuracy " + accuracy);
                }
                trained = forward(model, probe);
                model.save(dir, "user");
            }
            try (Model reloaded = Model.newInstance("user")) {
                S5 fresh = S5.builder().setStateSize(64).build();
                reloaded.setBlock(userGraph(fresh));
                reloaded.load(dir, "user");
                Assert.assertTrue(fresh.getStateSize() < 64, "state size " + fresh.getStateSize());
                Assert.assertEquals(forward(reloaded, probe), trained);
            }
        }
    }

    /** The downstream project's graph: encoder, S5, ReLU, mean over time, head. */
    private static SequentialBlock userGraph(S5 s5) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(s5)
                .add(Activation::relu)
                .add(LambdaBlock.singleton(x -> x.mean(new int[] {1})))
                .add(Linear.builder().setUnits(ReadmeSnippetTest.CLASSES).build());
    }

    private static float[] forward(Model model, NDArray input) {
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(scratch);
            return model.getBlock()
                    .forward(new ParameterStore(scratch, false), new NDList(x), false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }
}
