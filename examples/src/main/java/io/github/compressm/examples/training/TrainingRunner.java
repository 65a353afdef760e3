package io.github.compressm.examples.training;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.translate.TranslateException;
import io.github.compressm.examples.plot.ChartWriter;
import io.github.compressm.examples.report.ReportWriter;
import io.github.compressm.examples.report.RunReport;
import io.github.compressm.listener.CompressionReport;
import io.github.compressm.listener.FreshParameterTracker;
import io.github.compressm.ssm.serving.ModelExport;
import io.github.compressm.ssm.serving.SsmBlockFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains any {@link ExampleTask} the same way: Adam or AdamW with a fixed learning rate, DJL's
 * logging listeners (progress bar and per-epoch lines), the CompreSSM listener unless compression
 * is off, {@link EasyTrain#fit} with the held-out set as validation data; then the final metric,
 * the JSON report and the plots.
 */
public final class TrainingRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRunner.class);

    private TrainingRunner() {}

    /**
     * Runs a task end to end.
     *
     * @param task the task
     * @param config the run settings
     * @return the report (also written to the report path of {@code config.outputs()} if set)
     * @throws IOException if data cannot be read or the report/plots cannot be written
     */
    public static RunReport run(ExampleTask task, RunConfig config) throws IOException {
        Engine.getInstance().setRandomSeed((int) config.training().seed());
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance(task.name())) {
            TaskData data = task.prepare(manager, config);
            model.setBlock(task.buildModel(config));
            Optional<CompressionPlugin> compression =
                    config.compression()
                            ? Optional.of(
                                    new CompressionPlugin(
                                            config.compressionSettings(),
                                            config.training().epochs()))
                            : Optional.empty();
            List<Evaluator> evaluators = task.evaluators();
            MetricsRecorder recorder =
                    new MetricsRecorder(evaluators.isEmpty() ? null : evaluators.get(0).getName());
            DefaultTrainingConfig trainingConfig =
                    new DefaultTrainingConfig(task.loss())
                            .optOptimizer(optimizer(config, totalSteps(data, config)))
                            .addTrainingListeners(TrainingListener.Defaults.logging());
            Optional<OutputChangeProbe> outputChange =
                    compression.map(
                            c -> new OutputChangeProbe(data.test(), c::isCheckStep, manager));
            outputChange.ifPresent(p -> trainingConfig.addTrainingListeners(p.before()));
            compression.ifPresent(c -> trainingConfig.addTrainingListeners(c.listener()));
            outputChange.ifPresent(p -> trainingConfig.addTrainingListeners(p.after()));
            PeakMemoryRecorder memory = new PeakMemoryRecorder();
            trainingConfig.addTrainingListeners(recorder, memory);
            evaluators.forEach(trainingConfig::addEvaluator);

            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(data.inputShape());
                List<Integer> initialSizes = SsmLayers.stateSizes(model.getBlock());
                LOG.info(
                        "{}: {} train / {} test examples, SSM state sizes {}, {}",
                        task.name(),
                        data.train().size(),
                        data.test().size(),
                        initialSizes,
                        config.compression()
                                ? "compression on (tau "
                                        + config.compressionSettings().getTolerance()
                                        + ")"
                                : "compression off");
                long start = System.nanoTime();
                try {
                    EasyTrain.fit(trainer, config.training().epochs(), data.train(), data.test());
                } catch (TranslateException e) {
                    throw new IllegalStateException("training failed: " + e.getMessage(), e);
                }
                double trainSeconds = (System.nanoTime() - start) / 1e9;
                List<Integer> finalSizes = SsmLayers.stateSizes(model.getBlock());
                TaskMetric metric = task.evaluate(trainer, data);
                Map<String, Object> details = new LinkedHashMap<>(task.details(trainer, config));
                outputChange.ifPresent(p -> details.put("reductionOutputChanges", p.getChanges()));
                List<String> layerPaths = SsmLayers.paths(model.getBlock());
                List<CompressionReport.Check> checks =
                        compression.map(c -> c.report().getChecks()).orElse(List.of());
                RunReport report =
                        new RunReport(
                                RunReport.SCHEMA_VERSION,
                                task.name(),
                                RunReport.ConfigSection.of(config),
                                layerPaths,
                                initialSizes,
                                finalSizes,
                                reductions(checks, layerPaths),
                                checks,
                                recorder.getSteps(),
                                trainSeconds,
                                compression.map(CompressionPlugin::seconds).orElse(0.0),
                                new RunReport.Metric(metric.primaryName(), metric.primaryValue()),
                                metric.all(),
                                recorder.getEpochs(),
                                recorder.getStateSizes(),
                                memory.getPeakMegabytes(),
                                details);
                summarise(report);
                RunConfig.Outputs outputs = config.outputs();
                if (outputs.reportPath() != null) {
                    ReportWriter.write(report, outputs.reportPath());
                    LOG.info("Report written to {}", outputs.reportPath());
                }
                if (outputs.saveModelDir() != null) {
                    saveModel(model, task, config.model(), outputs.saveModelDir());
                }
                if (outputs.plotDir() != null) {
                    List<Path> plots = ChartWriter.writeAll(report, outputs.plotDir());
                    LOG.info("{} plots written to {}", plots.size(), outputs.plotDir());
                }
                return report;
            }
        }
    }

    /**
     * Creates the optimizer: AdamW if a weight decay is set, else Adam, with the run's learning
     * rate schedule wrapped in the listener's {@link FreshParameterTracker}.
     *
     * @param config the run settings
     * @param totalSteps the run's optimizer steps
     * @return the optimizer
     */
    static Optimizer optimizer(RunConfig config, long totalSteps) {
        // Per-parameter Adam bias correction, so that parameters created by a reduction do not get
        // oversized first updates; without reductions it changes nothing.
        RunConfig.TrainingSettings training = config.training();
        ParameterTracker lr =
                FreshParameterTracker.wrap(
                        training.learningRateSchedule()
                                .tracker(
                                        training.learningRate(),
                                        totalSteps,
                                        config.compressionSettings().getWarmupFraction()));
        if (training.weightDecay() > 0) {
            return Optimizer.adamW()
                    .optLearningRateTracker(lr)
                    .optWeightDecays(training.weightDecay())
                    .build();
        }
        return Optimizer.adam().optLearningRateTracker(lr).build();
    }

    private static void saveModel(
            Model model, ExampleTask task, RunConfig.ModelSettings shape, Path dir)
            throws IOException {
        Map<String, String> serving = task.servingProperties();
        if (serving.isEmpty()) {
            model.save(dir, model.getName());
            LOG.info(
                    "Model parameters saved to {} ({} has no translator to serve it with)",
                    dir,
                    task.name());
            return;
        }
        Map<String, String> properties = new LinkedHashMap<>(serving);
        properties.put(SsmBlockFactory.HIDDEN_SIZE, Integer.toString(shape.hiddenSize()));
        properties.put(SsmBlockFactory.STATE_SIZE, Integer.toString(shape.stateSize()));
        properties.put(SsmBlockFactory.LAYERS, Integer.toString(shape.layers()));
        properties.put(SsmBlockFactory.SSM, shape.ssm().servingName());
        ModelExport.save(model, dir, properties);
        LOG.info("Model saved to {} for serving", dir);
    }

    private static long totalSteps(TaskData data, RunConfig config) {
        int batchSize = config.training().batchSize();
        long perEpoch = (data.train().size() + batchSize - 1) / batchSize;
        return perEpoch * config.training().epochs();
    }

    private static List<RunReport.Reduction> reductions(
            List<CompressionReport.Check> checks, List<String> layerPaths) {
        List<RunReport.Reduction> out = new ArrayList<>();
        for (CompressionReport.Check c : checks) {
            if (c.getOutcome() == CompressionReport.Outcome.REDUCED) {
                out.add(
                        new RunReport.Reduction(
                                c.getStep(),
                                layerPaths.indexOf(c.getLayer()),
                                c.getStateSizeBefore(),
                                c.getStateSizeAfter(),
                                c.getEnergyKept()));
            }
        }
        return out;
    }

    private static void summarise(RunReport r) {
        LOG.info("==== {} finished ====", r.task());
        LOG.info(
                "state size per layer: before {} -> after {}",
                r.initialStateSizes(),
                r.finalStateSizes());
        for (RunReport.Reduction red : r.reductions()) {
            LOG.info(
                    "  step {}: layer {} reduced {} -> {} states ({}% of Hankel energy kept)",
                    red.step(),
                    red.layer(),
                    red.from(),
                    red.to(),
                    String.format("%.2f", 100 * red.energyKept()));
        }
        long kept =
                r.checks().stream()
                        .filter(c -> c.getOutcome() == CompressionReport.Outcome.KEPT)
                        .count();
        if (kept > 0) {
            LOG.info(
                    "  {} of {} checks kept their layer (the chosen rank did not pass the gate)",
                    kept,
                    r.checks().size());
        }
        LOG.info(
                "{} = {}   (all: {})",
                r.metric().name(),
                String.format("%.4g", r.metric().value()),
                r.metrics());
        LOG.info(
                "train time {} s over {} steps, of which {} s in compression",
                String.format("%.1f", r.trainSeconds()),
                r.steps(),
                String.format("%.2f", r.compressionSeconds()));
        r.peakMemory()
                .ifPresent(
                        m ->
                                LOG.info(
                                        "peak resident memory per step (process RSS: native tensors"
                                                + " and the Java heap): {} MB at the first step, {}"
                                                + " MB at the last, {} MB at most",
                                        String.format("%.0f", m.firstStep()),
                                        String.format("%.0f", m.lastStep()),
                                        String.format("%.0f", m.max())));
        if (!r.details().isEmpty()) {
            LOG.info("details: {}", r.details());
        }
    }
}
