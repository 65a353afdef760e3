package io.github.compressm.listener;

import ai.djl.training.Trainer;
import io.github.compressm.control.StateSpectrum;
import io.github.compressm.control.TruncationRule;
import io.github.compressm.control.TruncationRule.Decision;
import io.github.compressm.listener.CompressibleLayer.Analysis;
import io.github.compressm.listener.CompressibleLayer.Truncation;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import java.util.Random;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks one layer at a time: health, analysis, the rule's decision, the swap, and the rollback of
 * the pragmatic mode. Every fault leaves the layer as it was and becomes the check's outcome.
 */
final class LayerCompressor {

    private static final Logger logger = LoggerFactory.getLogger(CompreSsmListener.class);

    private final TruncationRule rule;
    private final Rollback rollback;
    private final long seed;
    private Random random;
    private boolean optimizerAudited;

    /**
     * Creates a compressor.
     *
     * @param rule the truncation rule
     * @param rollback the pragmatic mode, or null
     * @param seed the seed of random selections
     */
    LayerCompressor(TruncationRule rule, Rollback rollback, long seed) {
        this.rule = rule;
        this.rollback = rollback;
        this.seed = seed;
        begin();
    }

    /** Starts a new run: the random selections start from the seed again. */
    void begin() {
        random = new Random(seed);
        optimizerAudited = false;
    }

    /**
     * Measures the accuracy a check's first reduction is compared with.
     *
     * @param trainer the trainer
     * @return the validation accuracy, or null without rollback
     */
    Double accuracy(Trainer trainer) {
        return rollback == null ? null : rollback.measure(trainer);
    }

    /**
     * Checks one layer.
     *
     * @param trainer the trainer
     * @param step the step
     * @param name the layer's path
     * @param layer the layer
     * @param accuracy the validation accuracy before this layer's reduction, or null
     * @return the check
     */
    Check check(Trainer trainer, long step, String name, CompressibleLayer layer, Double accuracy) {
        int before = layer.getBlock().getStateSize();
        CheckDraft check = new CheckDraft(step, name, before);
        try {
            String problem = layer.problem(trainer.getDevices()[0]);
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
            Analysis analysis = layer.analyse();
            StateSpectrum spectrum = analysis.getSpectrum();
            check.weighting = analysis.getWeighting();
            check.hsv = spectrum.getHankelSingularValues();
            check.localHsv = analysis.getLocalHankelSingularValues();
            Decision decision = rule.decide(spectrum, before);
            check.order = decision.getOrder();
            String description = analysis.describe();
            String reason =
                    decision.getReason() + (description.isEmpty() ? "" : "; " + description);
            if (!decision.isReduce()) {
                check.energy = leadingEnergy(check.hsv, decision.getOrder());
                return check.done(Outcome.KEPT, before, reason);
            }
            Truncation truncation =
                    analysis.truncate(
                            decision.getOrder(), rule.getSelectionMode(), random, rollback != null);
            check.energy = truncation.getEnergyKept();
            truncation.apply();
            if (rollback != null) {
                check.accuracyBefore = accuracy;
                check.accuracyAfter = rollback.measure(trainer);
                String undo = rollback.reasonToUndo(accuracy, check.accuracyAfter);
                if (undo != null) {
                    truncation.undo();
                    return check.done(Outcome.ROLLED_BACK, before, undo);
                }
            }
            auditOptimizer(trainer);
            return check.done(Outcome.REDUCED, truncation.getStateCount(), reason);
        } catch (RuntimeException e) {
            logger.warn(
                    "CompreSSM: compressing layer {} at step {} failed, the layer is left at state"
                            + " size {}; training goes on",
                    name,
                    step,
                    before,
                    e);
            return check.done(
                    Outcome.FAILED, before, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * The Hankel energy the leading {@code order} values hold, or null without an order (the rule
     * chose none: every value is numerically zero).
     */
    private static Double leadingEnergy(double[] hsv, int order) {
        return order < 1
                ? null
                : StateSpectrum.energyKept(hsv, IntStream.range(0, order).toArray());
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
}
