package io.github.compressm.listener;

import ai.djl.Device;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListener;
import io.github.compressm.control.GramianMode;
import io.github.compressm.control.GramianWeighting;
import io.github.compressm.control.HankelAnalysis;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.SignalWeights;
import io.github.compressm.control.SystemReducer;
import io.github.compressm.control.TruncationRule;
import io.github.compressm.control.TruncationRule.Decision;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.ssm.DiagonalRealization;
import io.github.compressm.ssm.DiagonalSsmBlock;
import java.nio.file.Path;
import java.util.Collection;
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
 * correction of its own age. DJL offers no way to change a built optimizer's tracker, so the
 * listener cannot do it for you: at the first reduction under an Adam or AdamW without it, it logs
 * one warning naming the fix.
 *
 * <p><b>Resume.</b> After every step the listener stores its progress (steps done, checks done, the
 * schedule's total) in the model's properties ({@link ai.djl.Model#setProperty}), so {@code
 * Model.save}, directly or through DJL's {@code SaveModelTrainingListener}, writes it with the
 * parameters. A listener attached to a loaded model continues that schedule: its steps count on
 * from the saved step, the saved total replaces the configured one, checks already done are not
 * repeated and no check runs after the window. {@link Builder#optResume(boolean)} turns this off.
 *
 * <p><b>One trainer at a time.</b> A listener holds the state of one run. A second trainer created
 * with the same listener while the first is still open is refused with an {@link
 * IllegalStateException}; once the first trainer is closed (or its {@code EasyTrain.fit} has ended)
 * the listener may serve another one.
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
    private final double warmupFraction;
    private final int checks;
    private final long interval;
    private final int maxExtraChecks;
    private final TruncationRule rule;
    private final GramianWeighting weighting;
    private final double inputWeightFloor;
    private final long seed;
    private final boolean failIfNoSsmBlock;
    private final boolean resume;
    private final Rollback rollback;
    private final SystemReducer reducer;
    private final CompressionHistory history;

    private CompressionSchedule schedule;
    private Map<String, DiagonalSsmBlock> layers;
    private Random random;
    private long step;
    private int extraChecks;
    private boolean disabled;
    private boolean recording;
    private long recordingBaseline;
    private RunProgress resumed;
    private int checksDone;
    private Trainer owner;
    private boolean optimizerAudited;

    CompreSsmListener(Builder builder) {
        totalEpochs = builder.totalEpochs;
        totalSteps = builder.totalSteps;
        warmupFraction = builder.warmupFraction;
        checks = builder.checks;
        interval = builder.interval;
        maxExtraChecks = builder.maxExtraChecks;
        rule = builder.rule.build();
        weighting = builder.weighting;
        inputWeightFloor = builder.inputWeightFloor;
        seed = builder.seed;
        failIfNoSsmBlock = builder.failIfNoSsmBlock;
        resume = builder.resume;
        rollback =
                builder.rollbackDataset == null
                        ? null
                        : new Rollback(builder.rollbackDataset, builder.maxAccuracyDrop);
        reducer =
                builder.reducer != null ? builder.reducer : new SystemReducer(builder.gramianMode);
        history = new CompressionHistory(builder.reportPath);
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
        double recording =
                layers == null
                        ? 0
                        : (DataWeighting.recordingNanos(layers.values()) - recordingBaseline) / 1e6;
        return history.report(schedule, recording);
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void onTrainingBegin(Trainer trainer) {
        claim(trainer);
        schedule = null;
        layers = null;
        history.clear();
        random = new Random(seed);
        optimizerAudited = false;
        resumed = resume ? RunProgress.read(trainer.getModel()) : null;
        step = resumed == null ? 0 : resumed.getStepsDone();
        checksDone = resumed == null ? 0 : resumed.getChecksDone();
        extraChecks = 0;
        disabled = false;
        Collection<DiagonalSsmBlock> found =
                SsmBlockFinder.find(trainer.getModel().getBlock()).values();
        recordingBaseline = DataWeighting.recordingNanos(found);
        recording = weighting == GramianWeighting.DATA;
        if (recording) {
            // From the first batch on: the first check's weights then cover every step before it.
            DataWeighting.start(found);
        }
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void onTrainingBatch(Trainer trainer, BatchData batchData) {
        claim(trainer);
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
        if (recording) {
            DataWeighting.collectGradients(layers.values());
        }
        if (schedule.isCheckStep(step)) {
            checksDone++;
            try {
                runCheck(trainer);
            } catch (RuntimeException e) {
                // The per-layer checks catch their own faults; this guards the bookkeeping.
                logger.error("CompreSSM check at step {} failed; training goes on", step, e);
            }
        }
        new RunProgress(step, checksDone, schedule.getTotalSteps(), schedule.getLastCheckStep())
                .write(trainer.getModel());
        if (recording && schedule.isAfterLastCheck(step)) {
            stopRecording();
        } else if (recording) {
            DataWeighting.recordNext(layers.values(), DataWeighting.records(step + 1, schedule));
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
        history.recordSizes(trainer.getMetrics());
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void onTrainingEnd(Trainer trainer) {
        if (owner == trainer) {
            owner = null;
        }
        if (layers == null) {
            return;
        }
        stopRecording();
        logger.info(
                "CompreSSM: training ended after {} steps, state sizes {} (initially {})",
                step,
                history.currentSizes(),
                history.initialSizes());
        history.write(getReport());
    }

    /** Binds this listener to a trainer, or refuses a second trainer while the first one runs. */
    private void claim(Trainer trainer) {
        if (owner == null) {
            owner = trainer;
        } else if (owner != trainer) {
            throw new IllegalStateException(
                    "This CompreSsmListener already serves the trainer of model '"
                            + owner.getModel().getName()
                            + "', which has not ended; a listener holds the state of one run: give"
                            + " every trainer its own CompreSsmListener.builder()...build(), or"
                            + " close the first trainer before reusing the listener");
        }
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
        long total;
        if (resumed != null) {
            total = resumed.getTotalSteps();
        } else {
            total = totalSteps > 0 ? totalSteps : stepsFromEpochs(batchData);
        }
        if (total <= 0) {
            stopRecording();
            disabled = true;
            return;
        }
        schedule =
                interval > 0
                        ? CompressionSchedule.withInterval(total, warmupFraction, interval)
                        : CompressionSchedule.withChecks(total, warmupFraction, checks);
        history.begin(layers);
        if (resumed != null) {
            restoreExtraChecks();
            logResume();
        }
        logger.info(
                "CompreSSM: layers {}, {}, {}, {} Gramians",
                history.initialSizes(),
                schedule,
                rule,
                weighting);
        history.recordSizes(trainer.getMetrics());
    }

    /** Extends the schedule as the saved run had extended it past the window. */
    private void restoreExtraChecks() {
        while (extraChecks < maxExtraChecks
                && schedule.getLastCheckStep() < resumed.getLastCheckStep()) {
            CompressionSchedule extended = schedule.withExtraCheck();
            if (extended == null) {
                return;
            }
            schedule = extended;
            extraChecks++;
        }
    }

    private void logResume() {
        int due = schedule.checksUpTo(resumed.getStepsDone());
        if (due != resumed.getChecksDone()) {
            logger.warn(
                    "CompreSSM: the saved run did {} checks by step {}, this listener's settings"
                            + " schedule {}: the settings differ from the saved run's; the"
                            + " remaining checks follow this listener's settings",
                    resumed.getChecksDone(),
                    resumed.getStepsDone(),
                    due);
        }
        logger.info(
                "CompreSSM: resuming the saved run at {}, state sizes {}",
                resumed,
                history.initialSizes());
    }

    private void stopRecording() {
        if (recording) {
            DataWeighting.stop(layers.values());
            recording = false;
        }
    }

    private long stepsFromEpochs(BatchData batchData) {
        // DJL's dataset iterators report progress in samples: the total is the dataset size.
        long samples = batchData.getBatch().getProgressTotal();
        int batchSize = batchData.getBatch().getSize();
        if (samples <= 0 || batchSize <= 0) {
            logger.error(
                    "CompreSSM cannot learn the number of batches per epoch from the first batch"
                            + " (dataset size {}, batch size {}); set the total with"
                            + " setTotalSteps(long). Compression is disabled for this run",
                    samples,
                    batchSize);
            return 0;
        }
        return (samples + batchSize - 1) / batchSize * totalEpochs;
    }

    private void runCheck(Trainer trainer) {
        Device live = trainer.getDevices()[0];
        Double accuracy = rollback == null ? null : rollback.measure(trainer);
        for (Map.Entry<String, DiagonalSsmBlock> entry : layers.entrySet()) {
            Check check = checkLayer(trainer, entry.getKey(), entry.getValue(), live, accuracy);
            history.add(check);
            if (check.getOutcome() == Outcome.REDUCED) {
                accuracy = check.getAccuracyAfter();
                auditOptimizer(trainer);
            }
        }
        history.recordSizes(trainer.getMetrics());
        if (history.changedAt(step)) {
            history.write(getReport());
        }
        if (history.reducedAt(step)) {
            extendWhileShrinking();
        }
    }

    /** Adds one check past the last, while layers still shrink and extra checks are left. */
    private void extendWhileShrinking() {
        if (extraChecks >= maxExtraChecks || !schedule.isLastCheck(step)) {
            return;
        }
        CompressionSchedule extended = schedule.withExtraCheck();
        if (extended != null) {
            schedule = extended;
            extraChecks++;
            logger.info(
                    "CompreSSM: layers still shrinking at step {}: extra check {} of at most {} at"
                            + " step {}",
                    step,
                    extraChecks,
                    maxExtraChecks,
                    step + schedule.getInterval());
        }
    }

    /** Warns once per run if the optimizer over-sizes the new parameters' first updates. */
    private void auditOptimizer(Trainer trainer) {
        if (optimizerAudited) {
            return;
        }
        optimizerAudited = true;
        String problem = OptimizerAudit.problem(trainer);
        if (problem != null) {
            logger.warn("CompreSSM reduced a layer, but {}", problem);
        }
    }

    private Check checkLayer(
            Trainer trainer, String name, DiagonalSsmBlock block, Device live, Double accuracy) {
        int before = block.getStateSize();
        CheckDraft check = new CheckDraft(step, name, before);
        try {
            String problem = ParameterHealth.problem(block, live);
            if (problem != null) {
                logger.warn(
                        "CompreSSM: layer {} skipped at step {}: {}; training goes on",
                        name,
                        step,
                        problem);
                return check.done(Outcome.SKIPPED, before, problem);
            }
            if (rule.isAtMinimum(before)) {
                return check.done(
                        Outcome.KEPT,
                        before,
                        "state size is at the minimum " + rule.getMinStateSize());
            }
            DiagonalRealization current = block.getRealization();
            HankelAnalysis analysis = analyse(block, current, check);
            Decision decision = rule.decide(analysis, before, reducer, random);
            check.order = decision.getOrder();
            if (decision.getReduction() != null) {
                check.energy = decision.getReduction().getEnergyKept();
            }
            String reason = decision.getReason() + describe(analysis);
            if (!decision.isReduce()) {
                return check.done(Outcome.KEPT, before, reason);
            }
            RealizationSwap.apply(block, decision.getReduction().getRealization());
            if (rollback != null) {
                check.accuracyBefore = accuracy;
                check.accuracyAfter = rollback.measure(trainer);
                String undo = rollback.reasonToUndo(accuracy, check.accuracyAfter);
                if (undo != null) {
                    RealizationSwap.apply(block, current);
                    return check.done(Outcome.ROLLED_BACK, block.getStateSize(), undo);
                }
            }
            return check.done(Outcome.REDUCED, block.getStateSize(), reason);
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

    /** The analysis the rule decides on: data-weighted if asked, with the local spectrum beside. */
    private HankelAnalysis analyse(
            DiagonalSsmBlock block, DiagonalRealization current, CheckDraft check) {
        if (weighting == GramianWeighting.NONE) {
            HankelAnalysis analysis = reducer.analyse(current, null);
            check.hsv = analysis.getHankelSingularValues();
            return analysis;
        }
        HankelAnalysis analysis =
                reducer.analyse(current, DataWeighting.take(block, inputWeightFloor));
        check.weighting = weighting;
        check.hsv = analysis.getHankelSingularValues();
        check.localHsv = reducer.hankelSingularValues(current, null);
        return analysis;
    }

    private static String describe(HankelAnalysis analysis) {
        return analysis.getWeights() == null
                ? ""
                : "; " + DataWeighting.describe(analysis.getWeights());
    }

    /**
     * The builder of {@link CompreSsmListener}. Exactly one of {@link #setTotalEpochs} and {@link
     * #setTotalSteps} is required; every other setting has a default taken from the paper. The
     * settings of the truncation rule are those of {@link TruncationRule.Builder}.
     */
    public static final class Builder {

        private int totalEpochs;
        private long totalSteps;
        private boolean epochsSet;
        private boolean stepsSet;
        private double warmupFraction = 0.1;
        private int checks = 4;
        private long interval;
        private int maxExtraChecks;
        private boolean checksSet;
        private boolean intervalSet;
        private final TruncationRule.Builder rule = TruncationRule.builder();
        private GramianMode gramianMode = GramianMode.REAL_OUTPUT;
        private GramianWeighting weighting = GramianWeighting.NONE;
        private double inputWeightFloor;
        private long seed = 42;
        private Path reportPath;
        private boolean failIfNoSsmBlock;
        private boolean resume = true;
        private Dataset rollbackDataset;
        private double maxAccuracyDrop;
        private SystemReducer reducer;

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
         * Sets the tolerance {@code tau} of the truncation rule (default 0.02): see {@link
         * TruncationRule.Builder#optTolerance}.
         *
         * @param tolerance the fraction of Hankel energy that may be discarded, in [0, 1)
         * @return this builder
         */
        public Builder optTolerance(double tolerance) {
            rule.optTolerance(tolerance);
            return this;
        }

        /**
         * Keeps a fixed fraction of the Hankel singular values instead of using a tolerance: see
         * {@link TruncationRule.Builder#optKeepFraction}.
         *
         * @param fraction the kept fraction, in (0, 1]
         * @return this builder
         */
        public Builder optKeepFraction(double fraction) {
            rule.optKeepFraction(fraction);
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
         * Sets the number of evenly spaced checks inside the window (default 4, as the paper's text
         * describes: four equally spaced attempts inside the learning-rate warm-up; the reference
         * code instead checks inside its evaluation block, in its sMNIST configuration at steps 10k
         * and 20k of 200k). Cannot be combined with {@link #optCheckInterval}.
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
         * Lets the schedule run on past the window while the layers are still shrinking (default 0:
         * checks only inside the window). When a check reduces at least one layer and is the last
         * one scheduled, one more check is added {@code interval} steps later (the interval between
         * the window's checks), up to {@code maxExtraChecks} extra checks in all. A check that
         * reduces nothing ends the schedule. Data weighting records before every check, extra ones
         * included.
         *
         * @param maxExtraChecks the most checks added past the window, at least 0
         * @return this builder
         */
        public Builder optExtraChecks(int maxExtraChecks) {
            this.maxExtraChecks = maxExtraChecks;
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
         * Sets the gate of the truncation rule (default 0.95): see {@link
         * TruncationRule.Builder#optGate}.
         *
         * @param gate the gate, in (0, 1]
         * @return this builder
         */
        public Builder optGate(double gate) {
            rule.optGate(gate);
            return this;
        }

        /**
         * Sets the smallest state size a layer may be reduced to (default 1): see {@link
         * TruncationRule.Builder#optMinStateSize}.
         *
         * @param minStateSize the minimum, positive
         * @return this builder
         */
        public Builder optMinStateSize(int minStateSize) {
            rule.optMinStateSize(minStateSize);
            return this;
        }

        /**
         * Sets which balanced states are kept (default {@link SelectionMode#LARGEST}): see {@link
         * TruncationRule.Builder#optSelectionMode}.
         *
         * @param selectionMode the mode
         * @return this builder
         */
        public Builder optSelectionMode(SelectionMode selectionMode) {
            rule.optSelectionMode(selectionMode);
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
         * Sets how the Gramians are weighted (default {@link GramianWeighting#NONE}, layer-local
         * Gramians). With {@link GramianWeighting#DATA} every SSM layer records the second moments
         * of its inputs and of the loss gradient at its output on up to 16 training batches spread
         * over the steps before each check (it costs one small product per layer and recorded batch
         * and one extra array the size of the layer's output), and the Hankel singular values
         * measure the states the network actually uses. The report then holds both spectra.
         *
         * @param weighting the weighting
         * @return this builder
         */
        public Builder optGramianWeighting(GramianWeighting weighting) {
            this.weighting = weighting;
            return this;
        }

        /**
         * Sets a floor under the input weight of {@link GramianWeighting#DATA} (default 0: the
         * measured input moment alone): every input direction then counts with at least this
         * fraction of the average input power. With no floor a layer fed by a narrow projection is
         * cut to the few directions its inputs spanned in the batches before the check; a floor
         * keeps states for directions those inputs may move into as the layers before it train.
         *
         * @param floor a finite fraction {@code >= 0} of the input moment's mean eigenvalue, e.g.
         *     0.1
         * @return this builder
         */
        public Builder optInputWeightFloor(double floor) {
            this.inputWeightFloor = floor;
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
         * Sets whether a listener attached to a model that holds a saved run's progress (a model
         * saved during training with this listener, then loaded) continues that run's schedule
         * (default true). With false the listener starts a new schedule from step 0 with its own
         * total, as for a new model.
         *
         * @param resume true to continue a saved run
         * @return this builder
         */
        public Builder optResume(boolean resume) {
            this.resume = resume;
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

        /** Replaces the control-theory seam; for tests of the fault handling. */
        Builder setReducer(SystemReducer reducer) {
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
            if (!(warmupFraction > 0 && warmupFraction <= 1)) {
                throw new IllegalArgumentException(
                        "warmup fraction must be in (0, 1], got " + warmupFraction);
            }
            if (checksSet && intervalSet) {
                throw new IllegalArgumentException(
                        "Use either optChecks or optCheckInterval, not both");
            }
            SignalWeights.requireFloor(inputWeightFloor);
            if (maxExtraChecks < 0) {
                throw new IllegalArgumentException(
                        "extra checks must be at least 0 (0 checks only inside the window), got "
                                + maxExtraChecks);
            }
            if (checks < 1) {
                throw new IllegalArgumentException("checks must be positive, got " + checks);
            }
            if (intervalSet && interval < 1) {
                throw new IllegalArgumentException(
                        "check interval must be positive, got " + interval);
            }
            if (gramianMode == null) {
                throw new IllegalArgumentException("Gramian mode must not be null");
            }
            if (weighting == null) {
                throw new IllegalArgumentException("Gramian weighting must not be null");
            }
            if (rollbackDataset != null && !(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1)) {
                throw new IllegalArgumentException(
                        "maximum accuracy drop must be in [0, 1], got " + maxAccuracyDrop);
            }
            return new CompreSsmListener(this);
        }
    }
}
