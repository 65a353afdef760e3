package io.github.compressm.listener;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import io.github.compressm.control.HankelAnalysis;
import io.github.compressm.control.Reduction;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.SignalWeights;
import io.github.compressm.control.SystemReducer;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.ssm.DiagonalRealization;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.SsmBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Settings, block discovery, faults, ablation modes and the pragmatic rollback. */
public class ListenerBehaviourTest {

    private static final int LENGTH = 32;
    private static final int BATCH = 16;

    @Test
    public void builderRejectsBadSettingsWithMessages() {
        assertRejected(CompreSsmListener.builder(), "setTotalEpochs(int) or setTotalSteps(long)");
        assertRejected(
                CompreSsmListener.builder().setTotalEpochs(0), "totalEpochs must be positive");
        assertRejected(
                CompreSsmListener.builder().setTotalSteps(-5), "totalSteps must be positive");
        assertRejected(CompreSsmListener.builder().setTotalEpochs(2).setTotalSteps(5), "not both");
        assertRejected(steps().optTolerance(1), "tolerance must be in [0, 1)");
        assertRejected(steps().optTolerance(-0.1), "tolerance must be in [0, 1)");
        assertRejected(steps().optKeepFraction(0), "keep fraction must be in (0, 1]");
        assertRejected(steps().optKeepFraction(1.5), "keep fraction must be in (0, 1]");
        assertRejected(steps().optTolerance(0.1).optKeepFraction(0.5), "not both");
        assertRejected(steps().optWarmupFraction(0), "warmup fraction must be in (0, 1]");
        assertRejected(steps().optWarmupFraction(1.01), "warmup fraction must be in (0, 1]");
        assertRejected(steps().optChecks(0), "checks must be positive");
        assertRejected(steps().optCheckInterval(0), "interval must be positive");
        assertRejected(steps().optChecks(2).optCheckInterval(5), "not both");
        assertRejected(steps().optGate(0), "gate must be in (0, 1]");
        assertRejected(steps().optMinStateSize(0), "minimum state size must be positive");
        assertRejected(steps().optExtraChecks(-1), "extra checks must be at least 0");
        assertRejected(steps().optInputWeightFloor(-0.5), "input weight floor must be");
    }

    @Test
    public void builderAcceptsTheClosedEndsOfItsRanges() throws Exception {
        // Tolerance 0 discards no Hankel energy; gate 1 turns down only a size that does not
        // shrink. The one check is at step 4 of 8 and keeps the 16 states.
        CompreSsmListener lossless = oneCheck().optTolerance(0).optGate(1).build();
        fit(TestTasks.classifier(4, 16, 1), 2, lossless);
        Check kept = onlyCheck(lossless, 4);
        Assert.assertEquals(kept.getOutcome(), Outcome.KEPT, kept.toString());
        Assert.assertEquals(kept.getStateSizeAfter(), 16);
        Assert.assertEquals(kept.getEnergyKept(), 1.0, 1e-12);
        Assert.assertTrue(kept.getMessage().contains("not below 1.0 x 16"), kept.getMessage());

        // Keep fraction 1 keeps every Hankel singular value; warmup fraction 1 stretches the window
        // over the whole run, so the one check comes at its last step.
        CompreSsmListener whole = oneCheck().optKeepFraction(1).optWarmupFraction(1).build();
        fit(TestTasks.classifier(4, 16, 1), 2, whole);
        Assert.assertEquals(whole.getReport().getCheckSteps(), new long[] {8});
        Check last = onlyCheck(whole, 8);
        Assert.assertEquals(last.getOutcome(), Outcome.KEPT, last.toString());
        Assert.assertEquals(last.getKeptOrder(), last.getHankelSingularValues().length);
        Assert.assertEquals(last.getStateSizeAfter(), 16);
    }

    @Test
    public void scheduleChecksOnlyInsideTheWindow() {
        CompressionSchedule s = CompressionSchedule.withChecks(1000, 0.1, 4);
        Assert.assertEquals(s.getCheckSteps(), new long[] {25, 50, 75, 100});
        Assert.assertTrue(s.isCheckStep(100));
        Assert.assertFalse(s.isCheckStep(125));
        Assert.assertFalse(s.isCheckStep(0));
        Assert.assertEquals(
                CompressionSchedule.withChecks(10, 0.1, 4).getCheckSteps(), new long[] {1});
        Assert.assertEquals(
                CompressionSchedule.withChecks(50, 0.2, 3).getCheckSteps(), new long[] {3, 6, 9});
        Assert.assertEquals(
                CompressionSchedule.withInterval(200, 0.1, 7).getCheckSteps(), new long[] {7, 14});
    }

    @Test
    public void dataWeightingRecordsAtMostSixteenBatchesPerCheckEndingAtIt() {
        CompressionSchedule s = CompressionSchedule.withChecks(3000, 0.1, 4);
        Assert.assertEquals(s.getCheckSteps(), new long[] {75, 150, 225, 300});
        Assert.assertEquals(s.nextCheckFrom(1), 75);
        Assert.assertEquals(s.nextCheckFrom(75), 75);
        Assert.assertEquals(s.nextCheckFrom(76), 150);
        Assert.assertEquals(s.nextCheckFrom(301), -1);
        for (long check : s.getCheckSteps()) {
            Assert.assertTrue(SignalCollection.records(check, s), "the check's own batch");
            long recorded = 0;
            for (long step = check - 74; step <= check; step++) {
                recorded += SignalCollection.records(step, s) ? 1 : 0;
            }
            // Interval 75: every 5th step, counted back from the check.
            Assert.assertEquals(recorded, 15, "before the check at " + check);
            Assert.assertTrue(SignalCollection.records(check - 5, s));
            Assert.assertFalse(SignalCollection.records(check - 1, s));
        }
        Assert.assertFalse(SignalCollection.records(301, s), "no check left");
        CompressionSchedule dense = CompressionSchedule.withChecks(100, 0.2, 2);
        for (long step = 1; step <= 20; step++) {
            Assert.assertTrue(SignalCollection.records(step, dense), "interval 10: every step");
        }
    }

    @Test
    public void scheduleExtendsOneIntervalAtATimeUpToTheTotal() {
        CompressionSchedule s = CompressionSchedule.withChecks(100, 0.2, 2);
        Assert.assertTrue(s.isLastCheck(20));
        Assert.assertFalse(s.isLastCheck(10));
        CompressionSchedule extended = s.withExtraCheck();
        Assert.assertEquals(extended.getCheckSteps(), new long[] {10, 20, 30});
        Assert.assertTrue(extended.isLastCheck(30));
        Assert.assertEquals(extended.getWindow(), 20);
        Assert.assertEquals(s.getCheckSteps(), new long[] {10, 20}, "schedules are immutable");
        Assert.assertNull(CompressionSchedule.withInterval(25, 1, 10).withExtraCheck());
    }

    @Test
    public void extraChecksRunPastTheWindowWhileLayersShrink() throws Exception {
        // 16 steps, window of 4, one check at step 4; every check halves the layer.
        CompreSsmListener shrinking = extraChecks(2).optKeepFraction(0.5).build();
        fit(TestTasks.classifier(4, 16, 1), 4, shrinking);
        Assert.assertEquals(checkSteps(shrinking), List.of(4L, 8L, 12L), "at most 2 extra checks");
        Assert.assertEquals(shrinking.getReport().getChecks().get(2).getOutcome(), Outcome.REDUCED);

        // A check that keeps every layer ends the schedule.
        CompreSsmListener floored = extraChecks(3).optKeepFraction(0.5).optMinStateSize(12).build();
        fit(TestTasks.classifier(4, 16, 1), 4, floored);
        Assert.assertEquals(checkSteps(floored), List.of(4L, 8L));
        Assert.assertEquals(floored.getReport().getChecks().get(1).getOutcome(), Outcome.KEPT);

        // Without the option, checks stay inside the window.
        CompreSsmListener fixed = extraChecks(0).optKeepFraction(0.5).build();
        fit(TestTasks.classifier(4, 16, 1), 4, fixed);
        Assert.assertEquals(checkSteps(fixed), List.of(4L));
    }

    @Test
    public void finderNamesNestedSsmBlocksByPath() {
        Lru bare = Lru.builder().setStateSize(4).build();
        SequentialBlock inner = new SequentialBlock().add(bare);
        Block model =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(3).build())
                        .add(inner)
                        .add(TestTasks.classifier(3, 5, 2));
        Map<String, SsmBlock> found = SsmBlockFinder.find(model);
        Assert.assertEquals(
                new ArrayList<>(found.keySet()),
                List.of(
                        "02SequentialBlock/01Lru",
                        "03SequentialBlock/02SsmResidualBlock/02ssm",
                        "03SequentialBlock/03SsmResidualBlock/02ssm"));
        Assert.assertSame(found.get("02SequentialBlock/01Lru"), bare);
        Assert.assertEquals(
                SsmBlockFinder.find(bare).keySet(),
                List.of("Lru").stream().collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    public void modelWithoutSsmBlockWarnsOrFailsByOption() throws Exception {
        CompreSsmListener lenient = steps().build();
        fit(plainModel(), 1, lenient);
        Assert.assertTrue(lenient.getReport().getChecks().isEmpty());
        Assert.assertTrue(lenient.getReport().getInitialStateSizes().isEmpty());
        CompreSsmListener strict = steps().optFailIfNoSsmBlock(true).build();
        IllegalStateException e =
                Assert.expectThrows(
                        IllegalStateException.class, () -> fit(plainModel(), 1, strict));
        Assert.assertTrue(e.getMessage().contains("no SSM block"), e.getMessage());
    }

    @Test
    public void nonFiniteLayerIsSkippedOthersReducedTrainingGoesOn() throws Exception {
        Block model = TestTasks.classifier(4, 16, 2);
        CompreSsmListener listener =
                CompreSsmListener.builder()
                        .setTotalSteps(8)
                        .optWarmupFraction(0.5)
                        .optChecks(1)
                        .optTolerance(0.2)
                        .build();
        // Poisons the first layer right before the check at step 4.
        TrainingListener poison =
                atStep(
                        4,
                        t -> {
                            Parameter nu = first(t).getParameters().get("nu_log");
                            NDArray a = nu.getArray();
                            float[] v = a.toFloatArray();
                            v[0] = Float.NaN;
                            a.set(v);
                        });
        fit(model, 2, poison, listener);
        List<Check> checks = listener.getReport().getChecks();
        Assert.assertEquals(checks.size(), 2, checks.toString());
        Assert.assertEquals(checks.get(0).getOutcome(), Outcome.SKIPPED);
        Assert.assertTrue(checks.get(0).getMessage().contains("NaN"), checks.get(0).getMessage());
        Assert.assertEquals(checks.get(0).getStateSizeAfter(), 16);
        Assert.assertEquals(checks.get(1).getOutcome(), Outcome.REDUCED, checks.toString());
    }

    @Test
    public void failuresInTheMathLeaveTheLayerIntact() throws Exception {
        // The math throws.
        Block model = TestTasks.classifier(4, 12, 1);
        CompreSsmListener throwing =
                oneCheck()
                        .setReducer(
                                new SystemReducer() {
                                    @Override
                                    public HankelAnalysis analyse(
                                            DiagonalRealization r, SignalWeights w) {
                                        throw new IllegalStateException("eigenvectors diverged");
                                    }
                                })
                        .build();
        fit(model, 2, throwing);
        Check c = throwing.getReport().getChecks().get(0);
        Assert.assertEquals(c.getOutcome(), Outcome.FAILED);
        Assert.assertTrue(c.getMessage().contains("eigenvectors diverged"), c.getMessage());
        Assert.assertEquals(c.getStateSizeAfter(), 12);

        // The math returns a system the block cannot take: it refuses it before touching anything.
        Block second = TestTasks.classifier(4, 12, 1);
        List<Parameter> before = new ArrayList<>();
        CompreSsmListener unstable =
                oneCheck().optKeepFraction(0.5).setReducer(new OneInputTooMany()).build();
        TrainingListener capture =
                atStep(4, t -> first(t).getParameters().forEach(p -> before.add(p.getValue())));
        fit(second, 2, capture, unstable);
        c = unstable.getReport().getChecks().get(0);
        Assert.assertEquals(c.getOutcome(), Outcome.FAILED, c.toString());
        Assert.assertTrue(
                c.getMessage().contains("must have 4 inputs and outputs"), c.getMessage());
        SsmBlock lru = SsmBlockFinder.find(second).values().iterator().next();
        Assert.assertEquals(lru.getStateSize(), 12);
        List<Parameter> after = new ArrayList<>();
        lru.getParameters().forEach(p -> after.add(p.getValue()));
        Assert.assertEquals(after.size(), before.size());
        for (int i = 0; i < after.size(); i++) {
            Assert.assertSame(after.get(i), before.get(i));
            Assert.assertTrue(after.get(i).requiresGradient(), after.get(i).getName());
        }
    }

    @Test
    public void minimumStateSizeFloorsTheRank() throws Exception {
        CompreSsmListener listener = oneCheck().optKeepFraction(0.05).optMinStateSize(5).build();
        fit(TestTasks.classifier(4, 16, 1), 2, listener);
        Check c = listener.getReport().getChecks().get(0);
        Assert.assertEquals(c.getOutcome(), Outcome.REDUCED, c.toString());
        Assert.assertTrue(c.getStateSizeAfter() >= 5, c.toString());
        Assert.assertTrue(c.getStateSizeAfter() < 16 * 0.95, c.toString());
    }

    @Test
    public void ablationModesKeepTheStatesTheySay() throws Exception {
        Check largest = singleReduction(SelectionMode.LARGEST, 3);
        Check smallest = singleReduction(SelectionMode.SMALLEST, 3);
        Check random = singleReduction(SelectionMode.RANDOM, 3);
        Check randomAgain = singleReduction(SelectionMode.RANDOM, 3);
        Check otherSeed = singleReduction(SelectionMode.RANDOM, 4);
        // Same model and data (same seeds): same spectrum, same fraction-based order.
        double[] hsv = largest.getHankelSingularValues();
        Assert.assertEquals(smallest.getHankelSingularValues(), hsv);
        int order = (int) Math.ceil(0.5 * hsv.length);
        for (Check c : new Check[] {largest, smallest, random}) {
            Assert.assertEquals(c.getKeptOrder(), order, c.toString());
            Assert.assertEquals(c.getOutcome(), Outcome.REDUCED, c.toString());
        }
        Assert.assertEquals(largest.getEnergyKept(), energy(hsv, 0, order), 1e-12);
        Assert.assertEquals(
                smallest.getEnergyKept(), energy(hsv, hsv.length - order, hsv.length), 1e-12);
        Assert.assertTrue(random.getEnergyKept() > smallest.getEnergyKept());
        Assert.assertTrue(random.getEnergyKept() < largest.getEnergyKept());
        Assert.assertEquals(randomAgain.getEnergyKept(), random.getEnergyKept());
        Assert.assertNotEquals(otherSeed.getEnergyKept(), random.getEnergyKept());
    }

    @Test
    public void pragmaticModeRollsBackHarmfulReductions() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset validation = TestTasks.sinusoids(manager, 96, LENGTH, 32, 11);
            // Keeping the quarter of the states with the smallest HSVs wrecks the layer: with no
            // tolerated drop the reduction is rolled back; with any drop tolerated it stays.
            CompreSsmListener strict = lateHarmfulCheck().optRollback(validation, 0.0).build();
            fit(TestTasks.classifier(8, 16, 1), 5, strict);
            Check c = strict.getReport().getChecks().get(0);
            Assert.assertEquals(c.getOutcome(), Outcome.ROLLED_BACK, c.toString());
            Assert.assertTrue(c.getAccuracyBefore() > 0.4, "model did not learn: " + c);
            Assert.assertTrue(c.getAccuracyAfter() < c.getAccuracyBefore(), c.toString());
            Assert.assertEquals(c.getStateSizeAfter(), 16);
            Assert.assertEquals(strict.getReport().getStateSizes().values().iterator().next(), 16);

            CompreSsmListener lenient = lateHarmfulCheck().optRollback(validation, 1.0).build();
            fit(TestTasks.classifier(8, 16, 1), 5, lenient);
            c = lenient.getReport().getChecks().get(0);
            Assert.assertEquals(c.getOutcome(), Outcome.REDUCED, c.toString());
            Assert.assertNotNull(c.getAccuracyAfter());
            Assert.assertEquals(lenient.getReport().getStateSizes().values().iterator().next(), 4);
        }
    }

    private static Block plainModel() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(4).build())
                .add(LambdaBlock.singleton(x -> x.mean(new int[] {1})))
                .add(Linear.builder().setUnits(TestTasks.CLASSES).build());
    }

    private static CompreSsmListener.Builder lateHarmfulCheck() {
        // 5 epochs of 8 batches; the only check is at the last step.
        return CompreSsmListener.builder()
                .setTotalSteps(40)
                .optWarmupFraction(1)
                .optChecks(1)
                .optKeepFraction(0.25)
                .optSelectionMode(SelectionMode.SMALLEST);
    }

    private static Check singleReduction(SelectionMode mode, long seed) throws Exception {
        CompreSsmListener listener =
                oneCheck().optKeepFraction(0.5).optSelectionMode(mode).optSeed(seed).build();
        fit(TestTasks.classifier(4, 16, 1), 2, listener);
        return listener.getReport().getChecks().get(0);
    }

    private static double energy(double[] hsv, int from, int to) {
        double total = 0;
        double sum = 0;
        for (int i = 0; i < hsv.length; i++) {
            total += hsv[i];
            if (i >= from && i < to) {
                sum += hsv[i];
            }
        }
        return sum / total;
    }

    /** A faulty seam: its reductions have one input and one output more than the layer. */
    private static final class OneInputTooMany extends SystemReducer {

        @Override
        public Reduction reduce(
                HankelAnalysis analysis, int order, SelectionMode mode, Random random) {
            DiagonalRealization r = analysis.getRealization();
            DiagonalRealization wider =
                    new DiagonalRealization(
                            r.getLambdaRe(),
                            r.getLambdaIm(),
                            withZeroColumn(r.getBRe()),
                            withZeroColumn(r.getBIm()),
                            withZeroRow(r.getCRe()),
                            withZeroRow(r.getCIm()));
            return super.reduce(analyse(wider), order, mode, random);
        }

        private static double[][] withZeroColumn(double[][] m) {
            double[][] out = new double[m.length][];
            for (int i = 0; i < m.length; i++) {
                out[i] = Arrays.copyOf(m[i], m[i].length + 1);
            }
            return out;
        }

        private static double[][] withZeroRow(double[][] m) {
            double[][] out = Arrays.copyOf(m, m.length + 1);
            out[m.length] = new double[m[0].length];
            return out;
        }
    }

    private static CompreSsmListener.Builder steps() {
        return CompreSsmListener.builder().setTotalSteps(100);
    }

    /** 8 steps (2 epochs of 4 batches), one check at step 4. */
    private static CompreSsmListener.Builder oneCheck() {
        return CompreSsmListener.builder().setTotalSteps(8).optWarmupFraction(0.5).optChecks(1);
    }

    /** 16 steps (4 epochs of 4 batches), one check at step 4 in the window. */
    private static CompreSsmListener.Builder extraChecks(int extra) {
        return CompreSsmListener.builder()
                .setTotalSteps(16)
                .optWarmupFraction(0.25)
                .optChecks(1)
                .optExtraChecks(extra);
    }

    /** Returns the one check of a run of one layer, asserting its step. */
    private static Check onlyCheck(CompreSsmListener listener, long step) {
        List<Check> checks = listener.getReport().getChecks();
        Assert.assertEquals(checks.size(), 1, "" + checks);
        Assert.assertEquals(checks.get(0).getStep(), step);
        return checks.get(0);
    }

    private static List<Long> checkSteps(CompreSsmListener listener) {
        return listener.getReport().getChecks().stream().map(Check::getStep).toList();
    }

    private static SsmBlock first(Trainer trainer) {
        return SsmBlockFinder.find(trainer.getModel().getBlock()).values().iterator().next();
    }

    private static void assertRejected(CompreSsmListener.Builder builder, String fragment) {
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, builder::build);
        Assert.assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    /** Trains a model on 4 batches per epoch (8 for 5 epochs of the rollback test). */
    private static void fit(Block block, int epochs, TrainingListener... listeners)
            throws Exception {
        int samples = epochs == 5 ? 128 : 64;
        TestTasks.fitSinusoids(block, epochs, samples, LENGTH, BATCH, 5, 8, listeners);
    }

    private static TrainingListener atStep(int step, Consumer<Trainer> action) {
        return TestTasks.everyStep(
                (trainer, current) -> {
                    if (current == step) {
                        action.accept(trainer);
                    }
                });
    }
}
