package io.github.compressm.listener;

import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListener;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.SystemReducer;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.ssm.DiagonalSsmBlock;
import io.github.compressm.ssm.SelectiveSsmBlock;
import io.github.compressm.ssm.SsmBlock;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>On the first training batch the listener finds every {@link SsmBlock} in the model's block
 * tree ({@link SsmBlockFinder}) and fixes its schedule: checks at evenly spaced steps inside the
 * first {@code warmupFraction} of training, never after. At a check it balances each layer's
 * system, computes its Hankel singular values and chooses an order (from the tolerance, or a fixed
 * fraction), keeps the chosen balanced states ({@link SelectionMode}), and swaps the reduced system
 * into the layer if the new state size is below {@code gate x} the current one. A linear
 * time-invariant layer ({@link DiagonalSsmBlock}) is balanced from its closed-form Gramians, a
 * selective layer ({@link SelectiveSsmBlock}) from the empirical Gramians of its recorded states; a
 * model may mix both. The settings are one {@link CompressionSettings} object. Checks run in {@link
 * #onTrainingBatch}, after the batch's backward pass and before {@code trainer.step()}: the step
 * that follows updates no parameter of a reduced layer (its old parameters are frozen, its new ones
 * have not been seen by the trainer yet), and from the next forward pass on the trainer trains the
 * new, smaller parameters.
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

    private final CompressionSettings settings;
    private final SystemReducer reducer;
    private final CheckPlan plan;
    private final SignalCollection signals = new SignalCollection();
    private final LayerCompressor compressor;
    private final CompressionHistory history;

    private Map<String, CompressibleLayer> layers;
    private boolean batchSeen;
    private boolean disabled;
    private Trainer owner;

    CompreSsmListener(Builder builder, CompressionSettings settings) {
        this.settings = settings;
        Rollback rollback =
                builder.rollbackDataset == null
                        ? null
                        : new Rollback(builder.rollbackDataset, builder.maxAccuracyDrop);
        reducer =
                builder.reducer != null
                        ? builder.reducer
                        : new SystemReducer(settings.getGramianMode());
        plan = new CheckPlan(settings, builder.totalEpochs, builder.totalSteps);
        compressor = new LayerCompressor(settings.getRule(), rollback, settings.getSeed());
        history = new CompressionHistory(builder.reportPath, settings);
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
     * Returns the settings this listener compresses with.
     *
     * @return the settings
     */
    public CompressionSettings getSettings() {
        return settings;
    }

    /**
     * Returns the history of this run so far: every check of every layer and the state sizes.
     *
     * @return an immutable snapshot
     */
    public synchronized CompressionReport getReport() {
        return history.report(plan.getSchedule(), signals.getMillis());
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void onTrainingBegin(Trainer trainer) {
        claim(trainer);
        layers = new LinkedHashMap<>();
        SsmBlockFinder.find(trainer.getModel().getBlock())
                .forEach(
                        (name, block) ->
                                layers.put(name, CompressibleLayer.of(block, settings, reducer)));
        batchSeen = false;
        disabled = false;
        history.clear();
        compressor.begin();
        plan.begin(trainer.getModel());
        // From the first batch on: the first check's moments then cover every step before it.
        signals.begin(List.copyOf(layers.values()));
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void onTrainingBatch(Trainer trainer, BatchData batchData) {
        claim(trainer);
        plan.advance();
        if (disabled) {
            return;
        }
        if (!plan.isStarted()) {
            start(trainer, batchData);
            if (disabled) {
                return;
            }
        }
        signals.afterBackward();
        if (plan.takeCheck()) {
            try {
                runCheck(trainer);
            } catch (RuntimeException e) {
                // The per-layer checks catch their own faults; this guards the bookkeeping.
                logger.error(
                        "CompreSSM check at step {} failed; training goes on", plan.getStep(), e);
            }
        }
        plan.save(trainer.getModel());
        signals.afterStep(plan.getStep(), plan.getSchedule());
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
        signals.stop();
        if (!batchSeen) {
            return;
        }
        logger.info(
                "CompreSSM: training ended after {} steps, state sizes {} (initially {})",
                plan.getStep(),
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
        batchSeen = true;
        if (layers.isEmpty()) {
            String message =
                    "CompreSSM found no SSM block (such as Lru, S5 or Mamba2) in the model's block"
                            + " tree; nothing will be compressed";
            if (settings.isFailIfNoSsmBlock()) {
                throw new IllegalStateException(message);
            }
            logger.warn(message);
            disabled = true;
            return;
        }
        if (!plan.start(batchData)) {
            signals.stop();
            disabled = true;
            return;
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        layers.forEach((name, layer) -> sizes.put(name, layer.getBlock().getStateSize()));
        history.begin(sizes);
        if (plan.getResumed() != null) {
            logger.info(
                    "CompreSSM: resuming the saved run at {}, state sizes {}",
                    plan.getResumed(),
                    sizes);
        }
        logger.info("CompreSSM: layers {}, {}, {}", sizes, plan.getSchedule(), settings);
        history.recordSizes(trainer.getMetrics());
    }

    private void runCheck(Trainer trainer) {
        long step = plan.getStep();
        Double accuracy = compressor.accuracy(trainer);
        for (Map.Entry<String, CompressibleLayer> entry : layers.entrySet()) {
            Check check =
                    compressor.check(trainer, step, entry.getKey(), entry.getValue(), accuracy);
            history.add(check);
            if (check.getOutcome() == Outcome.REDUCED) {
                accuracy = check.getAccuracyAfter();
            }
        }
        history.recordSizes(trainer.getMetrics());
        if (history.changedAt(step)) {
            history.write(getReport());
        }
        if (history.reducedAt(step)) {
            plan.extendWhileShrinking();
        }
    }

    /**
     * The builder of {@link CompreSsmListener}. Exactly one of {@link #setTotalEpochs} and {@link
     * #setTotalSteps} is required; the compression options ({@link CompressionSettings.Options})
     * have the paper's defaults.
     */
    public static final class Builder extends CompressionSettings.Options<Builder> {

        private int totalEpochs;
        private long totalSteps;
        private boolean epochsSet;
        private boolean stepsSet;
        private Path reportPath;
        private Dataset rollbackDataset;
        private double maxAccuracyDrop;
        private SystemReducer reducer;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

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
            CheckPlan.requireLength(epochsSet, totalEpochs, stepsSet, totalSteps);
            if (rollbackDataset != null) {
                Rollback.requireDrop(maxAccuracyDrop);
            }
            return new CompreSsmListener(this, settings());
        }
    }
}
