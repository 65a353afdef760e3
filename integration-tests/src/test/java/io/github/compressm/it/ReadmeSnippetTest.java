package io.github.compressm.it;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.compressm.listener.CompreSsmListener;
import io.github.compressm.listener.CompressionReport;
import io.github.compressm.listener.FreshParameterTracker;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.SsmResidualBlock;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * The README's drop-in snippet as tested code: a user's own graph with {@link Lru} layers inside a
 * plain {@link SequentialBlock}, trained by {@code EasyTrain.fit} with the logging listeners plus
 * {@link CompreSsmListener}.
 */
public class ReadmeSnippetTest {

    private static final Logger LOGGER = LoggerFactory.getLogger(ReadmeSnippetTest.class);

    static final int CLASSES = 4;
    static final int LENGTH = 48;

    @Test
    public void dropInListenerCompressesAUserGraphThatStillLearns() throws Exception {
        Engine.getInstance().setRandomSeed(2024);
        int numEpochs = 8;
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("readme")) {
            // --- README snippet: a user's own model with LRU layers ---
            SequentialBlock net = new SequentialBlock();
            net.add(Linear.builder().setUnits(16).build()); // own encoder
            net.add(
                    SsmResidualBlock.builder()
                            .setSsm(Lru.builder().setStateSize(48).build())
                            .build());
            net.add(Lru.builder().setStateSize(48).build()); // a bare LRU works too
            net.add(Activation::relu);
            net.add(LambdaBlock.singleton(x -> x.mean(new int[] {1}))); // mean over time
            net.add(Linear.builder().setUnits(CLASSES).build()); // head
            model.setBlock(net);

            CompreSsmListener compressm =
                    CompreSsmListener.builder()
                            .setTotalEpochs(numEpochs) // or setTotalSteps(long)
                            .optTolerance(0.02) // fraction of Hankel energy discarded
                            .optWarmupFraction(0.1) // reductions only in the first 10% of steps
                            .build();
            TrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .addEvaluator(new Accuracy())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(
                                                    // new parameters get Adam's bias correction
                                                    FreshParameterTracker.wrap(
                                                            Tracker.fixed(3e-3f)))
                                            .build())
                            .addTrainingListeners(TrainingListener.Defaults.logging())
                            .addTrainingListeners(compressm);
            // --- end of snippet ---

            ArrayDataset train = sinusoids(manager, 640, 32, 1);
            ArrayDataset validation = sinusoids(manager, 256, 32, 2);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(32, LENGTH, 1));
                EasyTrain.fit(trainer, numEpochs, train, validation);
                TrainingResult result = trainer.getTrainingResult();
                float accuracy = result.getValidateEvaluation("Accuracy");
                CompressionReport report = compressm.getReport();
                LOGGER.info("{}, validation accuracy {}", report, accuracy);
                Assert.assertEquals(report.getInitialStateSizes().size(), 2, report.toString());
                Assert.assertFalse(report.getReductions().isEmpty(), report.getChecks().toString());
                int before = 0;
                int after = 0;
                for (String layer : report.getInitialStateSizes().keySet()) {
                    before += report.getInitialStateSizes().get(layer);
                    after += report.getStateSizes().get(layer);
                }
                Assert.assertTrue(after < before, report.toString());
                // Four balanced classes: chance is 0.25.
                Assert.assertTrue(accuracy > 0.6, "validation accuracy " + accuracy);
            }
        }
    }

    /** Noisy sinusoids of shape {@code (samples, LENGTH, 1)}; the class is the frequency. */
    static ArrayDataset sinusoids(NDManager manager, int samples, int batch, long seed) {
        Random random = new Random(seed);
        double[] frequencies = {0.05, 0.11, 0.19, 0.3};
        float[] x = new float[samples * LENGTH];
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            int c = random.nextInt(CLASSES);
            y[i] = c;
            double phase = random.nextDouble() * 2 * Math.PI;
            for (int t = 0; t < LENGTH; t++) {
                x[i * LENGTH + t] =
                        (float)
                                (Math.sin(2 * Math.PI * frequencies[c] * t + phase)
                                        + 0.5 * random.nextGaussian());
            }
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new Shape(samples, LENGTH, 1)))
                .optLabels(manager.create(y, new Shape(samples)))
                .setSampling(batch, true)
                .build();
    }
}
