package io.github.compressm.examples.tasks.sysid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import io.github.compressm.examples.training.ExampleTask;
import io.github.compressm.examples.training.HeldOutEvaluation;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.examples.training.TaskData;
import io.github.compressm.examples.training.TaskMetric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * System identification: a sequence-to-sequence SSM model learns to map the input signal of a
 * random stable linear system of known order to its output, from noisy training outputs. The inputs
 * are white Gaussian noise; outputs are scaled to unit variance. The metric is the mean squared
 * error against the noise-free test outputs ({@code test_mse}), and the report puts the model's
 * final state sizes next to the true order.
 */
public final class SysIdTask implements ExampleTask {

    private final String name;
    private final SysIdSpec spec;
    private final SysIdModel model;

    /**
     * Creates the task.
     *
     * @param name the name used in reports ({@code sysid}, or {@code demo})
     * @param spec the problem
     * @param model the model family
     */
    public SysIdTask(String name, SysIdSpec spec, SysIdModel model) {
        this.name = name;
        this.spec = spec;
        this.model = model;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return name;
    }

    /** {@inheritDoc} */
    @Override
    public TaskData prepare(NDManager manager, RunConfig config) {
        Random random = new Random(config.training().seed());
        LtiSystem system =
                LtiSystem.random(
                        spec.order(),
                        spec.inputs(),
                        spec.outputs(),
                        spec.rMin(),
                        spec.rMax(),
                        random);
        int trainCount =
                config.training().limit() > 0
                        ? Math.min(config.training().limit(), spec.trainSequences())
                        : spec.trainSequences();
        double[][][] uTrain = inputs(trainCount, random);
        double[][][] yTrain = simulate(system, uTrain);
        double[][][] uTest = inputs(spec.testSequences(), random);
        double[][][] yTest = simulate(system, uTest);
        double scale = 1 / Math.sqrt(meanSquare(yTrain));
        addNoise(yTrain, scale, spec.noiseStd(), random);
        ArrayDataset train =
                dataset(manager, uTrain, yTrain, 1, config.training().batchSize(), true);
        ArrayDataset test =
                dataset(manager, uTest, yTest, scale, config.training().batchSize(), false);
        return new TaskData(
                train, test, new Shape(1, spec.sequenceLength(), spec.inputs()), DataType.FLOAT32);
    }

    /** {@inheritDoc} */
    @Override
    public Block buildModel(RunConfig config) {
        if (model == SysIdModel.LRU || model == SysIdModel.PROJECTED_LRU) {
            SequentialBlock plain = new SequentialBlock();
            if (model == SysIdModel.PROJECTED_LRU) {
                plain.add(Linear.builder().setUnits(config.model().hiddenSize()).build());
            }
            for (int i = 0; i < config.model().layers(); i++) {
                plain.add(config.model().ssm().build(config.model().stateSize()));
            }
            plain.add(Linear.builder().setUnits(spec.outputs()).build());
            return plain;
        }
        return config.model().modelBuilder(spec.outputs()).buildSequenceToSequence();
    }

    /** {@inheritDoc} */
    @Override
    public Loss loss() {
        return new L2Loss("MSE", 1f);
    }

    /** {@inheritDoc} */
    @Override
    public List<Evaluator> evaluators() {
        return List.of();
    }

    /** {@inheritDoc} */
    @Override
    public TaskMetric evaluate(Trainer trainer, TaskData data) {
        HeldOutEvaluation eval = HeldOutEvaluation.run(trainer, data.test(), loss(), -1);
        Map<String, Double> all = new LinkedHashMap<>();
        all.put("test_mse", eval.meanLoss());
        all.put("test_fit_percent", 100 * (1 - Math.sqrt(eval.meanLoss())));
        all.put("noise_floor_mse", spec.noiseStd() * spec.noiseStd());
        return new TaskMetric("test_mse", eval.meanLoss(), all);
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, Object> details(Trainer trainer, RunConfig config) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("trueOrder", spec.order());
        details.put("model", model.name());
        // A real system of order n has n/2 conjugate pole pairs: one complex LRU state each.
        details.put("lruStatesNeeded", (spec.order() + 1) / 2);
        details.put("inputs", spec.inputs());
        details.put("outputs", spec.outputs());
        details.put("sequenceLength", spec.sequenceLength());
        details.put("noiseStd", spec.noiseStd());
        return details;
    }

    private double[][][] inputs(int count, Random random) {
        double[][][] u = new double[count][spec.sequenceLength()][spec.inputs()];
        for (double[][] seq : u) {
            for (double[] step : seq) {
                for (int i = 0; i < step.length; i++) {
                    step[i] = random.nextGaussian();
                }
            }
        }
        return u;
    }

    private static double[][][] simulate(LtiSystem system, double[][][] u) {
        double[][][] y = new double[u.length][][];
        for (int i = 0; i < u.length; i++) {
            y[i] = system.simulate(u[i]);
        }
        return y;
    }

    private static double meanSquare(double[][][] y) {
        double sum = 0;
        long n = 0;
        for (double[][] seq : y) {
            for (double[] step : seq) {
                for (double v : step) {
                    sum += v * v;
                    n++;
                }
            }
        }
        return n > 0 && sum > 0 ? sum / n : 1;
    }

    private static void addNoise(double[][][] y, double scale, double noiseStd, Random random) {
        for (double[][] seq : y) {
            for (double[] step : seq) {
                for (int i = 0; i < step.length; i++) {
                    step[i] = step[i] * scale + noiseStd * random.nextGaussian();
                }
            }
        }
    }

    private static ArrayDataset dataset(
            NDManager manager,
            double[][][] u,
            double[][][] y,
            double yScale,
            int batchSize,
            boolean shuffle) {
        NDArray x = toArray(manager, u, 1);
        NDArray labels = toArray(manager, y, yScale);
        return new ArrayDataset.Builder()
                .setData(x)
                .optLabels(labels)
                .setSampling(batchSize, shuffle)
                .build();
    }

    private static NDArray toArray(NDManager manager, double[][][] d, double scale) {
        int steps = d[0].length;
        int channels = d[0][0].length;
        float[] flat = new float[d.length * steps * channels];
        int k = 0;
        for (double[][] seq : d) {
            for (double[] step : seq) {
                for (double v : step) {
                    flat[k++] = (float) (v * scale);
                }
            }
        }
        return manager.create(flat, new Shape(d.length, steps, channels));
    }
}
