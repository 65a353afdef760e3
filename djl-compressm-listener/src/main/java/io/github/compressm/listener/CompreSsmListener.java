package io.github.compressm.listener;

import ai.djl.Device;
import ai.djl.metric.Dimension;
import ai.djl.metric.Metrics;
import ai.djl.metric.Unit;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.util.Pair;
import io.github.compressm.control.GramianMode;
import io.github.compressm.control.RankSelection;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.ssm.DiagonalRealization;
import io.github.compressm.ssm.DiagonalSsmBlock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TrainingListener} that compresses the state space layers of a model while a standard DJL
 * {@link Trainer} (or {@code EasyTrain.fit}) trains it: CompreSSM (Chahine et al., "The Curious
 * Case of In-Training Compression of State Space Models", ICLR 2026).
 *
 * <pre>
 * TrainingConfig config = new DefaultTrainingConfig(loss)
 *         .addTrainingListeners(TrainingListener.Defaults.logging())
 *         .addTrainingListeners(CompreSsmListener.builder()
 *                 .setTotalEpochs(numEpochs)     // or setTotalSteps(long)
 *                 .optTolerance(0.02)            // fraction of Hankel energy discarded
 *                 .optWarmupFraction(0.1)        // reductions only in the first 10% of steps
 *                 .build());
 * </pre>
 *
 * <p>On the first training batch the listener finds every {@link DiagonalSsmBlock} in the model's
 * block tree ({@link SsmBlockFinder}) and fixes its schedule ({@link CompressionSchedule}): checks
 * at evenly spaced steps inside the first {@code warmupFraction} of training, never after. At a
 * check it reads each layer's system, computes its Hankel singular values and chooses an order
 * (from the tolerance, or a fixed fraction), keeps the chosen balanced states ({@link
 * SelectionMode}), and swaps the reduced system into the layer with {@link
 * DiagonalSsmBlock#setRealization} if the new state size is below {@code gate x} the current one.
 * Checks run in {@link #onTrainingBatch}, after the batch's backward pass and before {@code
 * trainer.step()}: the step that follows updates no parameter of a reduced layer (its old
 * parameters are frozen, its new ones have not been seen by the trainer yet), and from the next
 * forward pass on the trainer trains the new, smaller parameters.
 *
 * <p><b>Adam.</b> DJL's Adam bias-corrects with the global step count, so parameters created by a
 * reduction would get updates several times too large for hundreds of steps. Wrap the learning rate
 * tracker of Adam or AdamW with {@link FreshParameterTracker} to give every parameter the bias
 * correction of its own age.
 *
 * <p><b>Devices.</b> The listener reads the parameters' own arrays. A DJL trainer updates those in
 * place only on its first device; if a parameter lives on another device its array is stale during
 * training, so such a layer is skipped with a warning instead of being compressed from stale
 * values. New parameters are created on the old ones' device and manager; the trainer mirrors them
 * to its other devices lazily, by parameter id, as it does for all parameters.
 *
 * <p><b>Faults.</b> Training never dies inside the listener because of compression: a layer with
 * NaN or infinite parameters is skipped with a warning, and an exception in the math or the swap
 * leaves the layer unchanged (the block validates before it swaps) and is logged. Only {@link
 * Builder#optFailIfNoSsmBlock(boolean)} turns a model without SSM layers into an error.
 *
 * <p><b>Observability.</b> One INFO log line per reduction; a {@code compressm_state_size} metric
 * per layer (dimension {@code layer}) in {@link Trainer#getMetrics()} at every check and epoch when
 * metrics are attached; {@link #getReport()} and, with a report path, the same report as JSON after
 * every reduction and at the end of training.
 */
public class CompreSsmListener implements TrainingListener {

    private static final Logger logger = LoggerFactory.getLogger(CompreSsmListener.class);

    /** The name of the per-layer state size metric. */
    public static final String STATE_SIZE_METRIC = "compressm_state_size";

    private final int totalEpochs;
    private final long totalSteps;
    private final double tolerance;
    private final double keepFraction;
    private final double warmupFraction;
    private final int checks;
    private final long interval;
    private final double gate;
    private final int minStateSize;
    private final SelectionMode selectionMode;
    private final long seed;
    private final Path reportPath;
    private final boolean failIfNoSsmBlock;
    private final ValidationAccuracy rollbackAccuracy;
    private final double maxAccuracyDrop;
    private final GramianMode gramianMode;
    private final LayerReducer reducer;

    private CompressionSchedule schedule;
    private Map<String, DiagonalSsmBlock> layers;
    private final Map<String, Integer> initialSizes = new LinkedHashMap<>();
    private final List<Check> history = new ArrayList<>();
    private Random random;
    private long step;
    private boolean disabled;

    CompreSsmListener(Builder builder) {
        totalEpochs = builder.totalEpochs;
        totalSteps = builder.totalSteps;
        tolerance = builder.tolerance;
        keepFraction = builder.keepFraction;
        warmupFraction = builder.warmupFraction;
        checks = builder.checks;
        interval = builder.interval;
        gate = builder.gate;
        minStateSize = builder.minStateSize;
        selectionMode = builder.selectionMode;
        seed = builder.seed;
        reportPath = builder.reportPath;
        failIfNoSsmBlock = builder.failIfNoSsmBlock;
        rollbackAccuracy =
                builder.rollbackDataset == null
                        ? null
                        : new ValidationAccuracy(builder.rollbackDataset);
        maxAccuracyDrop = builder.maxAccuracyDrop;
        gramianMode = builder.gramianMode;
        reducer =
                builder.reducer != null
                        ? builder.reducer
                        : new BalancedTruncationReducer(gramianMode);
    }

    /**
     * Creates a builder; {@link Builder#setTotalEpochs} or {@link Builder#setTotalSteps} is
     * required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the history of this run so far: every check of every layer and the state sizes.
     *
     * @return an immutable snapshot
     */
    public synchronized CompressionReport getReport() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        if (layers != null) {
            layers.forEach((name, block) -> sizes.put(name, block.getStateSize()));
        }
        long[] steps = schedule == null ? new long[0] : schedule.getCheckSteps();
        long total = schedule == null ? 0 : schedule.getTotalSteps();
        return new CompressionReport(total, steps, initialSizes, sizes, history);
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void onTrainingBegin(Trainer trainer) {
        schedule = null;
        layers = null;
        initialSizes.clear();
        history.clear();
        random = new Random(seed);
        step = 0;
        disabled = false;
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void onTrainingBatch(Trainer trainer, BatchData batchData) {
        step++;
        if (disabled) {
            return;
        }
        if (schedule == null) {
            start(trainer, batchData);
            if (disabled) {
                return;
            }
        }
        if (schedule.isCheckStep(step)) {
            try {
                runCheck(trainer);
            } catch (RuntimeException e) {
                // The per-layer checks catch their own faults; this guards the bookkeeping.
                logger.error("CompreSSM check at step {} failed; training goes on", step, e);
            }
        }
    }

    /**
     * Does nothing: the pragmatic rollback evaluates its own dataset right at each reduction.
     *
     * @param trainer the trainer
     * @param batchData the validation batch
     */
    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {}

    /** {@inheritDoc} */
    @Override
    public synchronized void onEpoch(Trainer trainer) {
        if (layers != null) {
            recordSizeMetrics(trainer);
        }
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void onTrainingEnd(Trainer trainer) {
        if (layers == null) {
            return;
        }
        logger.info(
                "CompreSSM: training ended after {} steps, state sizes {} (initially {})",
                step,
                currentSizes(),
                initialSizes);
        writeReport();
    }

    private void start(Trainer trainer, BatchData batchData) {
        layers = SsmBlockFinder.find(trainer.getModel().getBlock());
        if (layers.isEmpty()) {
            String message =
                    "CompreSSM found no DiagonalSsmBlock (such as Lru) in the model's block tree;"
                            + " nothing will be compressed";
            if (failIfNoSsmBlock) {
                throw new IllegalStateException(message);
            }
            logger.warn(message);
            disabled = true;
            return;
        }
        long total = totalSteps;
        if (total == 0) {
            // DJL's dataset iterators report progress in samples: the total is the dataset size.
            long samples = batchData.getBatch().getProgressTotal();
            int batchSize = batchData.getBatch().getSize();
            if (samples <= 0 || batchSize <= 0) {
                logger.error(
                        "CompreSSM cannot learn the number of batches per epoch from the first"
                                + " batch (dataset size {}, batch size {}); set the total with"
                                + " setTotalSteps(long). Compression is disabled for this run",
                        samples,
                        batchSize);
                disabled = true;
                return;
            }
            long perEpoch = (samples + batchSize - 1) / batchSize;
            total = perEpoch * totalEpochs;
        }
        schedule =
                interval > 0
                        ? CompressionSchedule.withInterval(total, warmupFraction, interval)
                        : CompressionSchedule.withChecks(total, warmupFraction, checks);
        layers.forEach((name, block) -> initialSizes.put(name, block.getStateSize()));
        logger.info("CompreSSM: layers {}, {}", initialSizes, schedule);
        recordSizeMetrics(trainer);
    }

    private void runCheck(Trainer trainer) {
        Device live = trainer.getDevices()[0];
        Double accuracy = rollbackAccuracy == null ? null : rollbackAccuracy.evaluate(trainer);
        boolean reduced = false;
        for (Map.Entry<String, DiagonalSsmBlock> entry : layers.entrySet()) {
            Check check = checkLayer(trainer, entry.getKey(), entry.getValue(), live, accuracy);
            history.add(check);
            if (check.getOutcome() == Outcome.REDUCED) {
                reduced = true;
                accuracy = check.getAccuracyAfter();
            }
            if (check.getOutcome() == Outcome.REDUCED
                    || check.getOutcome() == Outcome.ROLLED_BACK) {
                logger.info(
                        "CompreSSM: layer {} at step {}: state {} -> {}, {}% of Hankel energy"
                                + " kept{}",
                        check.getLayer(),
                        step,
                        check.getStateSizeBefore(),
                        check.getOutcome() == Outcome.REDUCED
                                ? check.getStateSizeAfter()
                                : check.getStateSizeBefore() + " (rolled back)",
                        String.format("%.2f", 100 * check.getEnergyKept()),
                        check.getAccuracyBefore() == null
                                ? ""
                                : String.format(
                                        ", validation accuracy %.4f -> %.4f",
                                        check.getAccuracyBefore(), check.getAccuracyAfter()));
            } else if (check.getOutcome() == Outcome.KEPT) {
                logger.info(
                        "CompreSSM: layer {} at step {}: state {} kept ({})",
                        check.getLayer(),
                        step,
                        check.getStateSizeBefore(),
                        check.getMessage());
            }
        }
        recordSizeMetrics(trainer);
        if (reduced
                || history.stream()
                        .anyMatch(
                                c ->
                                        c.getStep() == step
                                                && c.getOutcome() == Outcome.ROLLED_BACK)) {
            writeReport();
        }
    }

    private Check checkLayer(
            Trainer trainer,
            String name,
            DiagonalSsmBlock block,
            Device live,
            Double accuracyBefore) {
        long start = System.nanoTime();
        int before = block.getStateSize();
        CheckBuilder check = new CheckBuilder(name, before, start);
        try {
            String problem = parameterProblem(block, live);
            if (problem != null) {
                logger.warn(
                        "CompreSSM: layer {} skipped at step {}: {}; training goes on",
                        name,
                        step,
                        problem);
                return check.done(Outcome.SKIPPED, before, problem);
            }
            if (before <= minStateSize) {
                return check.done(
                        Outcome.KEPT, before, "state size is at the minimum " + minStateSize);
            }
            DiagonalRealization current = block.getRealization();
            LayerReducer.Analysis analysis = reducer.analyse(current);
            double[] hsv = analysis.getHankelSingularValues();
            check.hsv = hsv;
            int maxOrder = analysis.getNumericalOrder();
            if (maxOrder < 1) {
                return check.done(
                        Outcome.KEPT, before, "all Hankel singular values are numerically zero");
            }
            int order =
                    keepFraction > 0
                            ? RankSelection.orderForFraction(hsv.length, keepFraction, 1, maxOrder)
                            : RankSelection.orderForTolerance(hsv, tolerance, 1, maxOrder);
            LayerReducer.Result result = analysis.reduce(order, selectionMode, random);
            String floored = "";
            while (result.getStateCount() < minStateSize && order < maxOrder) {
                order++;
                result = analysis.reduce(order, selectionMode, random);
                floored = ", order raised to reach the minimum state size " + minStateSize;
            }
            int after = result.getStateCount();
            check.order = order;
            check.energy = result.getEnergyKept();
            if (after >= gate * before) {
                return check.done(
                        Outcome.KEPT,
                        before,
                        "new state size "
                                + after
                                + " is not below "
                                + gate
                                + " x "
                                + before
                                + floored);
            }
            DiagonalRealization reduced = result.getRealization();
            block.setRealization(reduced);
            if (block.getStateSize() != reduced.getStateSize()) {
                throw new IllegalStateException(
                        "the block reports state size "
                                + block.getStateSize()
                                + " after accepting a realisation of size "
                                + reduced.getStateSize());
            }
            if (rollbackAccuracy != null) {
                check.accuracyBefore = accuracyBefore;
                double accuracyAfter = rollbackAccuracy.evaluate(trainer);
                check.accuracyAfter = accuracyAfter;
                if (accuracyBefore - accuracyAfter > maxAccuracyDrop) {
                    block.setRealization(current);
                    return check.done(
                            Outcome.ROLLED_BACK,
                            block.getStateSize(),
                            String.format(
                                    "validation accuracy fell from %.4f to %.4f, more than %.4f;"
                                            + " the layer was restored",
                                    accuracyBefore, accuracyAfter, maxAccuracyDrop));
                }
            }
            return check.done(
                    Outcome.REDUCED,
                    block.getStateSize(),
                    "reduced by balanced truncation" + floored);
        } catch (RuntimeException e) {
            logger.warn(
                    "CompreSSM: compressing layer {} at step {} failed, the layer is left at state"
                            + " size {}; training goes on",
                    name,
                    step,
                    block.getStateSize(),
                    e);
            return check.done(
                    Outcome.FAILED,
                    block.getStateSize(),
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Returns why a layer's parameters cannot be analysed (non-finite values, or values that are
     * not the ones being trained), or null if they can.
     */
    private static String parameterProblem(DiagonalSsmBlock block, Device live) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            Parameter p = pair.getValue();
            if (!p.isInitialized()) {
                return "parameter " + pair.getKey() + " is not initialised";
            }
            NDArray array = p.getArray();
            if (!array.getDevice().equals(live)) {
                return "parameter "
                        + pair.getKey()
                        + " lives on "
                        + array.getDevice()
                        + ", but the trainer updates it in place only on its first device "
                        + live
                        + ", so its values there are stale";
            }
            if (!allFinite(array)) {
                return "parameter " + pair.getKey() + " has NaN or infinite values";
            }
        }
        return null;
    }

    private static boolean allFinite(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            for (float v : array.toFloatArray()) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
        if (!array.getDataType().isFloating()) {
            return true;
        }
        try (NDManager scope = array.getManager().newSubManager()) {
            NDArray wide = array.toType(DataType.FLOAT64, false);
            wide.attach(scope);
            for (double v : wide.toDoubleArray()) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
    }

    private void recordSizeMetrics(Trainer trainer) {
        Metrics metrics = trainer.getMetrics();
        if (metrics == null) {
            return;
        }
        layers.forEach(
                (name, block) ->
                        metrics.addMetric(
                                STATE_SIZE_METRIC,
                                block.getStateSize(),
                                Unit.COUNT,
                                new Dimension("layer", name)));
    }

    private Map<String, Integer> currentSizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        layers.forEach((name, block) -> sizes.put(name, block.getStateSize()));
        return sizes;
    }

    private void writeReport() {
        if (reportPath == null) {
            return;
        }
        try {
            ReportWriter.write(getReport(), reportPath);
        } catch (IOException | RuntimeException e) {
            logger.warn("CompreSSM: cannot write the report to {}", reportPath, e);
        }
    }

    /** Collects the fields of one {@link Check}. */
    private final class CheckBuilder {

        private final String layer;
        private final int before;
        private final long start;
        double[] hsv;
        int order;
        Double energy;
        Double accuracyBefore;
        Double accuracyAfter;

        CheckBuilder(String layer, int before, long start) {
            this.layer = layer;
            this.before = before;
            this.start = start;
        }

        Check done(Outcome outcome, int after, String message) {
            return new Check(
                    step,
                    layer,
                    outcome,
                    before,
                    after,
                    hsv,
                    order,
                    energy,
                    accuracyBefore,
                    accuracyAfter,
                    (System.nanoTime() - start) / 1e6,
                    message);
        }
    }

    /**
     * The builder of {@link CompreSsmListener}. Exactly one of {@link #setTotalEpochs} and {@link
     * #setTotalSteps} is required; every other setting has a default taken from the paper.
     */
    public static final class Builder {

        private int totalEpochs;
        private long totalSteps;
        private boolean epochsSet;
        private boolean stepsSet;
        private double tolerance = 0.02;
        private boolean toleranceSet;
        private double keepFraction;
        private boolean fractionSet;
        private double warmupFraction = 0.1;
        private int checks = 4;
        private long interval;
        private boolean checksSet;
        private boolean intervalSet;
        private double gate = 0.95;
        private int minStateSize = 1;
        private SelectionMode selectionMode = SelectionMode.LARGEST;
        private GramianMode gramianMode = GramianMode.REAL_OUTPUT;
        private long seed = 42;
        private Path reportPath;
        private boolean failIfNoSsmBlock;
        private Dataset rollbackDataset;
        private double maxAccuracyDrop;
        private LayerReducer reducer;

        Builder() {}

        /**
         * Sets the number of epochs the run trains for. The number of batches per epoch is learned
         * from the first training batch: {@code ceil(dataset size / batch size)}, from {@code
         * Batch.getProgressTotal()} (DJL's iterators report the dataset size there) and {@code
         * Batch.getSize()}. If the sampler drops the last partial batch, or the dataset reports no
         * size, use {@link #setTotalSteps} instead. Required unless {@link #setTotalSteps} is used.
         *
         * @param totalEpochs the epochs, positive
         * @return this builder
         */
        public Builder setTotalEpochs(int totalEpochs) {
            this.totalEpochs = totalEpochs;
            epochsSet = true;
            return this;
        }

        /**
         * Sets the total number of training steps (batches) of the run. Required unless {@link
         * #setTotalEpochs} is used.
         *
         * @param totalSteps the steps, positive
         * @return this builder
         */
        public Builder setTotalSteps(long totalSteps) {
            this.totalSteps = totalSteps;
            stepsSet = true;
            return this;
        }

        /**
         * Sets the tolerance {@code tau}: each layer keeps the smallest order whose leading Hankel
         * singular values hold at least {@code 1 - tau} of their sum (default 0.02, the middle of
         * the paper's sMNIST settings 0.01, 0.02 and 0.04). Cannot be combined with {@link
         * #optKeepFraction}.
         *
         * @param tolerance the fraction of Hankel energy that may be discarded, in [0, 1)
         * @return this builder
         */
        public Builder optTolerance(double tolerance) {
            this.tolerance = tolerance;
            toleranceSet = true;
            return this;
        }

        /**
         * Uses a fixed fraction instead of a tolerance: each check keeps {@code ceil(fraction x
         * number of Hankel singular values)} balanced states of the layer's current system, an
         * ablation of the paper. The gate still applies, so a fraction above the gate never
         * reduces.
         *
         * @param fraction the kept fraction, in (0, 1]
         * @return this builder
         */
        public Builder optKeepFraction(double fraction) {
            this.keepFraction = fraction;
            fractionSet = true;
            return this;
        }

        /**
         * Sets the fraction of all training steps, from the start, inside which reductions happen
         * (default 0.1, as in the paper: the ranking of Hankel singular values settles early).
         *
         * @param warmupFraction the fraction, in (0, 1]
         * @return this builder
         */
        public Builder optWarmupFraction(double warmupFraction) {
            this.warmupFraction = warmupFraction;
            return this;
        }

        /**
         * Sets the number of evenly spaced checks inside the window (default 4, as in the paper's
         * runs). Cannot be combined with {@link #optCheckInterval}.
         *
         * @param checks the number of checks, positive
         * @return this builder
         */
        public Builder optChecks(int checks) {
            this.checks = checks;
            checksSet = true;
            return this;
        }

        /**
         * Checks every {@code interval} steps inside the window instead of a fixed number of times.
         * Cannot be combined with {@link #optChecks}.
         *
         * @param interval the steps between checks, positive
         * @return this builder
         */
        public Builder optCheckInterval(long interval) {
            this.interval = interval;
            intervalSet = true;
            return this;
        }

        /**
         * Sets the gate: a layer is reduced only if its new state size is below {@code gate x} its
         * current size (default 0.95, the paper's 5% rule), so tiny reductions that cost new
         * optimizer state and buy little speed are skipped.
         *
         * @param gate the gate, in (0, 1]
         * @return this builder
         */
        public Builder optGate(double gate) {
            this.gate = gate;
            return this;
        }

        /**
         * Sets the smallest state size a layer may be reduced to (default 1); a smaller chosen rank
         * is raised to it.
         *
         * @param minStateSize the minimum, positive
         * @return this builder
         */
        public Builder optMinStateSize(int minStateSize) {
            this.minStateSize = minStateSize;
            return this;
        }

        /**
         * Sets which balanced states are kept (default {@link SelectionMode#LARGEST}, balanced
         * truncation; the others are the paper's ablations).
         *
         * @param selectionMode the mode
         * @return this builder
         */
        public Builder optSelectionMode(SelectionMode selectionMode) {
            this.selectionMode = selectionMode;
            return this;
        }

        /**
         * Sets which Gramians define the Hankel singular values (default {@link
         * GramianMode#REAL_OUTPUT}, the correct analysis of a layer whose output is {@code Re(C
         * x)}; {@link GramianMode#COMPLEX_OUTPUT_REFERENCE} reproduces the JAX reference
         * implementation's rank choices, without the error bound). Orders, tolerances and fractions
         * refer to the Hankel singular values of the chosen mode.
         *
         * @param gramianMode the mode
         * @return this builder
         */
        public Builder optGramianMode(GramianMode gramianMode) {
            this.gramianMode = gramianMode;
            return this;
        }

        /**
         * Sets the seed of {@link SelectionMode#RANDOM} (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Writes the report as JSON to this file after every reduction and at the end of training
         * (default: no file).
         *
         * @param reportPath the file
         * @return this builder
         */
        public Builder optReportPath(Path reportPath) {
            this.reportPath = reportPath;
            return this;
        }

        /**
         * Fails the run (an {@link IllegalStateException} from the first training batch) if the
         * model has no compressible SSM block, instead of warning and training on uncompressed
         * (default false).
         *
         * @param fail true to fail
         * @return this builder
         */
        public Builder optFailIfNoSsmBlock(boolean fail) {
            this.failIfNoSsmBlock = fail;
            return this;
        }

        /**
         * Enables the pragmatic mode: at every reduction the classification accuracy on {@code
         * validation} is measured right before and right after the swap, and the layer is restored
         * if it fell by more than {@code maxAccuracyDrop}. Keep the dataset small: it is evaluated
         * once per check plus once per reduced layer.
         *
         * @param validation a labelled dataset, the model's single output scored by arg-max
         * @param maxAccuracyDrop the largest tolerated drop, in [0, 1]
         * @return this builder
         */
        public Builder optRollback(Dataset validation, double maxAccuracyDrop) {
            this.rollbackDataset = validation;
            this.maxAccuracyDrop = maxAccuracyDrop;
            return this;
        }

        /** Replaces the control-theory reducer; for tests of the fault handling. */
        Builder setReducer(LayerReducer reducer) {
            this.reducer = reducer;
            return this;
        }

        /**
         * Builds the listener.
         *
         * @return a new listener
         * @throws IllegalArgumentException if a setting is missing or out of range
         */
        public CompreSsmListener build() {
            if (epochsSet == stepsSet) {
                throw new IllegalArgumentException(
                        epochsSet
                                ? "Set either setTotalEpochs or setTotalSteps, not both"
                                : "The training length is required: call setTotalEpochs(int) or"
                                        + " setTotalSteps(long)");
            }
            if (epochsSet && totalEpochs < 1) {
                throw new IllegalArgumentException(
                        "totalEpochs must be positive, got " + totalEpochs);
            }
            if (stepsSet && totalSteps < 1) {
                throw new IllegalArgumentException(
                        "totalSteps must be positive, got " + totalSteps);
            }
            if (toleranceSet && fractionSet) {
                throw new IllegalArgumentException(
                        "Use either optTolerance or optKeepFraction, not both");
            }
            if (!(tolerance >= 0 && tolerance < 1)) {
                throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
            }
            if (fractionSet && !(keepFraction > 0 && keepFraction <= 1)) {
                throw new IllegalArgumentException(
                        "keep fraction must be in (0, 1], got " + keepFraction);
            }
            if (!(warmupFraction > 0 && warmupFraction <= 1)) {
                throw new IllegalArgumentException(
                        "warmup fraction must be in (0, 1], got " + warmupFraction);
            }
            if (checksSet && intervalSet) {
                throw new IllegalArgumentException(
                        "Use either optChecks or optCheckInterval, not both");
            }
            if (checks < 1) {
                throw new IllegalArgumentException("checks must be positive, got " + checks);
            }
            if (intervalSet && interval < 1) {
                throw new IllegalArgumentException(
                        "check interval must be positive, got " + interval);
            }
            if (!(gate > 0 && gate <= 1)) {
                throw new IllegalArgumentException("gate must be in (0, 1], got " + gate);
            }
            if (minStateSize < 1) {
                throw new IllegalArgumentException(
                        "minimum state size must be positive, got " + minStateSize);
            }
            if (selectionMode == null) {
                throw new IllegalArgumentException("selection mode must not be null");
            }
            if (gramianMode == null) {
                throw new IllegalArgumentException("Gramian mode must not be null");
            }
            if (rollbackDataset != null && !(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1)) {
                throw new IllegalArgumentException(
                        "maximum accuracy drop must be in [0, 1], got " + maxAccuracyDrop);
            }
            return new CompreSsmListener(this);
        }
    }
}
