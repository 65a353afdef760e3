package io.github.compressm.listener;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.compressm.ssm.SsmModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ObjIntConsumer;

/** Generated tasks and small models shared by the listener tests. */
final class TestTasks {

    static final int CLASSES = 4;

    private TestTasks() {}

    /**
     * Sequence classification: a noisy sinusoid, the class is its frequency (one of four). Inputs
     * {@code (samples, length, 1)}, labels the class index.
     */
    static ArrayDataset sinusoids(
            NDManager manager, int samples, int length, int batchSize, long seed) {
        Random random = new Random(seed);
        float[] x = new float[samples * length];
        float[] y = new float[samples];
        double[] frequencies = {0.05, 0.11, 0.19, 0.3};
        for (int i = 0; i < samples; i++) {
            int c = random.nextInt(CLASSES);
            y[i] = c;
            double phase = random.nextDouble() * 2 * Math.PI;
            for (int t = 0; t < length; t++) {
                x[i * length + t] =
                        (float)
                                (Math.sin(2 * Math.PI * frequencies[c] * t + phase)
                                        + 0.5 * random.nextGaussian());
            }
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new Shape(samples, length, 1)))
                .optLabels(manager.create(y, new Shape(samples)))
                .setSampling(batchSize, true)
                .build();
    }

    /** A classifier built by {@link SsmModels}: Linear encoder, LRU residual layers, mean, head. */
    static Block classifier(int hidden, int state, int layers) {
        return SsmModels.builder()
                .setHiddenSize(hidden)
                .setStateSize(state)
                .setOutputs(CLASSES)
                .optLayers(layers)
                .optDropout(0f)
                .buildClassifier();
    }

    /** A training config with Adam, optionally with the fresh-parameter fix, and listeners. */
    static DefaultTrainingConfig config(
            float learningRate, boolean freshFix, TrainingListener... listeners) {
        Tracker lr = Tracker.fixed(learningRate);
        if (freshFix) {
            lr = FreshParameterTracker.wrap(lr);
        }
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build())
                .addTrainingListeners(listeners);
    }

    /** Runs a block in inference mode outside any trainer. */
    static NDArray infer(Block block, NDArray input) {
        return block.forward(
                        new ParameterStore(input.getManager(), false), new NDList(input), false)
                .singletonOrThrow();
    }

    /** Creates a trainer initialised for inputs of shape {@code (batch, length, 1)}. */
    static Trainer trainer(Model model, DefaultTrainingConfig config, int batch, int length) {
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(batch, length, 1));
        return trainer;
    }

    /**
     * Trains a block with Adam (fresh-parameter fix on) on generated sinusoids, no validation.
     *
     * @param block the model
     * @param epochs the epochs
     * @param samples the training samples
     * @param length the sequence length
     * @param batch the batch size
     * @param engineSeed the engine's seed (initialisation)
     * @param dataSeed the data's seed
     * @param listeners the training listeners
     */
    static void fitSinusoids(
            Block block,
            int epochs,
            int samples,
            int length,
            int batch,
            int engineSeed,
            long dataSeed,
            TrainingListener... listeners)
            throws Exception {
        Engine.getInstance().setRandomSeed(engineSeed);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("sinusoids")) {
            model.setBlock(block);
            ArrayDataset data = sinusoids(manager, samples, length, batch, dataSeed);
            try (Trainer trainer = trainer(model, config(5e-3f, true, listeners), batch, length)) {
                EasyTrain.fit(trainer, epochs, data, null);
            }
        }
    }

    /**
     * Returns a listener that calls back after every training batch with the step, from 1.
     *
     * @param action the callback
     * @return the listener
     */
    static TrainingListener everyStep(ObjIntConsumer<Trainer> action) {
        return new TrainingListenerAdapter() {
            private int step;

            @Override
            public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                action.accept(trainer, ++step);
            }
        };
    }

    /** Records the training loss of every batch. */
    static final class LossRecorder extends TrainingListenerAdapter {

        final List<Double> losses = new ArrayList<>();

        /** {@inheritDoc} */
        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            double sum = 0;
            int n = 0;
            for (var e : batchData.getPredictions().entrySet()) {
                NDList labels = batchData.getLabels().get(e.getKey());
                sum += trainer.getLoss().evaluate(labels, e.getValue()).getFloat();
                n++;
            }
            losses.add(sum / n);
        }

        double mean(int from, int to) {
            double s = 0;
            for (int i = from; i < to; i++) {
                s += losses.get(i);
            }
            return s / (to - from);
        }
    }
}
