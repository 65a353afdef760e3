package io.github.compressm.listener;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.ssm.DiagonalRealization;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.ReferenceRecurrence;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.Assert;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The mechanics of one reduction inside a running trainer: the output change is within the
 * balanced-truncation bound, the old parameters are never updated again, the new ones are.
 *
 * <p>One short training run (the reduction at step 4, three steps after it) is shared by every
 * test: it records what the tests assert on, step by step.
 */
public class ReductionMechanicsTest {

    private static final Logger LOGGER = LoggerFactory.getLogger(ReductionMechanicsTest.class);

    private static final int LENGTH = 64;
    private static final int BATCH = 16;
    private static final int HIDDEN = 8;
    private static final int STATES = 48;
    private static final int PROBES = 3;
    private static final int REDUCTION_STEP = 4;
    private static final int LAST_STEP = REDUCTION_STEP + 3;
    private static final String FEEDTHROUGH = "D";

    private List<Check> reductions;

    /** The layer's state size right after the batch of the reduction, and as the probe saw it. */
    private int stateSizeAtSwap;

    private int stateSizeSeenByLaterListener;

    /** Per parameter name: was the parameter object replaced, does the old one need a gradient. */
    private final Map<String, Boolean> replaced = new HashMap<>();

    private final Map<String, Boolean> oldRequiresGradient = new HashMap<>();

    /** The values of the original (old) parameters at the swap, and after each later step. */
    private Map<String, float[]> originalAtSwap;

    private final Map<Integer, Map<String, float[]>> originalAfterStep = new HashMap<>();

    /** The values of the new parameters at the swap, after the swap's step and the next one. */
    private Map<String, float[]> swappedAtSwap;

    private Map<String, float[]> swappedAfterSwapStep;
    private Map<String, float[]> swappedAfterNextStep;

    /** Output changes on each probe sequence, measured and predicted in double precision. */
    private SequenceChange[] changes;

    @BeforeClass
    public void trainThroughOneReduction() throws Exception {
        Engine.getInstance().setRandomSeed(77);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("mechanics")) {
            Lru lru = Lru.builder().setStateSize(STATES).build();
            SequentialBlock net = new SequentialBlock();
            net.add(Linear.builder().setUnits(HIDDEN).build());
            net.add(lru);
            net.add(LambdaBlock.singleton(x -> x.mean(new int[] {1})));
            net.add(Linear.builder().setUnits(TestTasks.CLASSES).build());
            model.setBlock(net);
            ArrayDataset data = TestTasks.sinusoids(manager, 256, LENGTH, BATCH, 5);

            // Total 40 steps, window 4, one check: the reduction happens at step 4.
            CompreSsmListener listener =
                    CompreSsmListener.builder()
                            .setTotalSteps(40)
                            .optWarmupFraction(0.1)
                            .optChecks(1)
                            .optTolerance(0.05)
                            .build();
            NDArray probe = manager.randomNormal(new Shape(PROBES, LENGTH, HIDDEN));
            Probe before = new Probe(lru, probe);
            Probe after = new Probe(lru, probe);
            try (Trainer trainer =
                    TestTasks.trainer(
                            model,
                            TestTasks.config(1e-3f, true, before, listener, after),
                            BATCH,
                            LENGTH)) {
                Map<String, Parameter> original = parameters(lru);
                Map<String, Parameter> swapped = null;
                int step = 0;
                for (Batch batch : trainer.iterateDataset(data)) {
                    step++;
                    EasyTrain.trainBatch(trainer, batch);
                    if (step == REDUCTION_STEP) {
                        stateSizeAtSwap = lru.getStateSize();
                        stateSizeSeenByLaterListener = after.stateSize;
                        originalAtSwap = values(original);
                        swapped = parameters(lru);
                        swappedAtSwap = values(swapped);
                        for (String name : original.keySet()) {
                            replaced.put(name, swapped.get(name) != original.get(name));
                            oldRequiresGradient.put(name, original.get(name).requiresGradient());
                        }
                    }
                    trainer.step();
                    batch.close();
                    if (step >= REDUCTION_STEP) {
                        originalAfterStep.put(step, values(original));
                    }
                    if (step == REDUCTION_STEP) {
                        swappedAfterSwapStep = values(swapped);
                    }
                    if (step == REDUCTION_STEP + 1) {
                        swappedAfterNextStep = values(swapped);
                    }
                    if (step == LAST_STEP) {
                        break;
                    }
                }
            }
            reductions = listener.getReport().getReductions();
            changes =
                    measureChanges(
                            probe.toFloatArray(),
                            before.outputs.get(REDUCTION_STEP),
                            after.outputs.get(REDUCTION_STEP),
                            before.systems.get(REDUCTION_STEP),
                            after.systems.get(REDUCTION_STEP));
        }
    }

    @Test
    public void reductionHappensOnceAtTheCheckStepWithinItsBatch() {
        Assert.assertEquals(reductions.size(), 1, reductions.toString());
        Check check = reductions.get(0);
        Assert.assertEquals(check.getStep(), REDUCTION_STEP);
        Assert.assertEquals(check.getOutcome(), Outcome.REDUCED);
        Assert.assertTrue(stateSizeAtSwap < STATES, "no reduction at step " + REDUCTION_STEP);
        // A listener after CompreSSM in the same batch already sees the reduced layer.
        Assert.assertEquals(stateSizeAtSwap, stateSizeSeenByLaterListener);
    }

    @Test
    public void swapReplacesEveryParameterButTheFeedthrough() {
        Assert.assertFalse(replaced.isEmpty(), "no parameters recorded at the swap");
        for (Map.Entry<String, Boolean> e : replaced.entrySet()) {
            Assert.assertEquals(
                    (boolean) e.getValue(), !e.getKey().equals(FEEDTHROUGH), e.getKey());
        }
    }

    @Test
    public void swapFreezesTheReplacedParametersOnly() {
        Assert.assertFalse(oldRequiresGradient.isEmpty(), "no parameters recorded at the swap");
        for (Map.Entry<String, Boolean> e : oldRequiresGradient.entrySet()) {
            boolean isReplaced = !e.getKey().equals(FEEDTHROUGH);
            Assert.assertEquals((boolean) e.getValue(), !isReplaced, e.getKey());
        }
    }

    @Test
    public void replacedParametersNeverChangeAfterTheSwap() {
        for (int step = REDUCTION_STEP; step <= LAST_STEP; step++) {
            Map<String, float[]> now = originalAfterStep.get(step);
            Assert.assertNotNull(now, "the run ended before step " + step);
            for (String name : originalAtSwap.keySet()) {
                if (!name.equals(FEEDTHROUGH)) {
                    Assert.assertEquals(
                            now.get(name),
                            originalAtSwap.get(name),
                            name + " (old) changed at step " + step);
                }
            }
        }
    }

    @Test
    public void stepOfTheSwapLeavesTheNewParametersUntouched() {
        // The step right after the swap cannot touch the new parameters: the trainer has not seen
        // them and they have no gradient yet.
        for (String name : swappedAtSwap.keySet()) {
            if (!name.equals(FEEDTHROUGH)) {
                Assert.assertEquals(swappedAfterSwapStep.get(name), swappedAtSwap.get(name), name);
            }
        }
    }

    @Test
    public void trainerUpdatesTheNewParametersFromTheNextBatchOn() {
        for (String name : swappedAtSwap.keySet()) {
            Assert.assertNotEquals(
                    swappedAfterNextStep.get(name),
                    swappedAtSwap.get(name),
                    name + " (new) was not updated");
        }
    }

    @Test
    public void reductionChangesTheLayerOutput() {
        for (SequenceChange c : changes) {
            Assert.assertTrue(c.observed() > 0, "the reduction changed nothing: " + c);
        }
    }

    @Test
    public void layerComputesExactlyTheTruncatedSystem() {
        // The float32 layer's output change is the double-precision truncation error.
        for (SequenceChange c : changes) {
            Assert.assertTrue(
                    c.mismatch() <= 1e-4 * c.output(),
                    "observed change " + c.observed() + " vs exact " + c.predicted() + ": " + c);
        }
    }

    @Test
    public void truncationErrorStaysWithinTheBalancedTruncationBound() {
        // ||G - G_r||_inf <= 2 sum of the discarded sigma, so ||dy|| <= 2 sum(sigma) ||u||.
        Assert.assertEquals(reductions.size(), 1, reductions.toString());
        for (SequenceChange c : changes) {
            Assert.assertTrue(
                    c.predicted() <= c.bound(),
                    "error " + c.predicted() + " exceeds the bound " + c.bound() + ": " + c);
        }
    }

    /**
     * Compares, per probe sequence, the layer's measured output change with the change the
     * reference recurrence predicts for the full and the truncated system (no feedthrough: the
     * reduction keeps D, so it cancels from the difference).
     */
    private SequenceChange[] measureChanges(
            float[] u,
            float[] y0,
            float[] y1,
            DiagonalRealization full,
            DiagonalRealization truncated) {
        double discarded = Double.NaN;
        if (reductions.size() == 1) {
            Check check = reductions.get(0);
            double[] hsv = check.getHankelSingularValues();
            discarded = 0;
            for (int i = check.getKeptOrder(); i < hsv.length; i++) {
                discarded += hsv[i];
            }
        }
        double[][][] sequences = ReferenceRecurrence.sequences(u, LENGTH, HIDDEN);
        double[] yFull =
                ReferenceRecurrence.flatten(ReferenceRecurrence.run(full, null, sequences));
        double[] yReduced =
                ReferenceRecurrence.flatten(ReferenceRecurrence.run(truncated, null, sequences));
        int perSequence = LENGTH * HIDDEN;
        SequenceChange[] result = new SequenceChange[PROBES];
        for (int b = 0; b < PROBES; b++) {
            double observed = 0;
            double predicted = 0;
            double mismatch = 0;
            double input = 0;
            double output = 0;
            for (int k = b * perSequence; k < (b + 1) * perSequence; k++) {
                double dy = (double) y1[k] - y0[k];
                double exact = yReduced[k] - yFull[k];
                observed += dy * dy;
                predicted += exact * exact;
                mismatch += (dy - exact) * (dy - exact);
                input += u[k] * (double) u[k];
                output += y0[k] * (double) y0[k];
            }
            result[b] =
                    new SequenceChange(
                            b,
                            Math.sqrt(observed),
                            Math.sqrt(predicted),
                            Math.sqrt(mismatch),
                            2 * discarded * Math.sqrt(input),
                            Math.sqrt(output));
            LOGGER.info("{}", result[b]);
        }
        return result;
    }

    /** Norms over one probe sequence. */
    private record SequenceChange(
            int sequence,
            double observed,
            double predicted,
            double mismatch,
            double bound,
            double output) {

        @Override
        public String toString() {
            return String.format(
                    "sequence %d: ||dy|| = %.4g (double-precision truncation error %.4g,"
                            + " mismatch %.2g), bound 2 sum(sigma_discarded) ||u|| = %.4g,"
                            + " ||y|| = %.4g",
                    sequence, observed, predicted, mismatch, bound, output);
        }
    }

    private static Map<String, Parameter> parameters(Lru lru) {
        Map<String, Parameter> map = new HashMap<>();
        lru.getParameters().forEach(p -> map.put(p.getKey(), p.getValue()));
        return map;
    }

    private static Map<String, float[]> values(Map<String, Parameter> params) {
        Map<String, float[]> map = new HashMap<>();
        params.forEach((k, v) -> map.put(k, v.getArray().toFloatArray()));
        return map;
    }

    /** Records the layer's output on a fixed probe input at every training batch. */
    static final class Probe extends TrainingListenerAdapter {

        private final Lru lru;
        private final NDArray input;
        final Map<Integer, float[]> outputs = new HashMap<>();
        final Map<Integer, DiagonalRealization> systems = new HashMap<>();
        int stateSize;
        private int step;

        Probe(Lru lru, NDArray input) {
            this.lru = lru;
            this.input = input;
        }

        /** {@inheritDoc} */
        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            step++;
            try (NDManager scope = input.getManager().newSubManager()) {
                NDArray x = input.duplicate();
                x.attach(scope);
                outputs.put(step, TestTasks.infer(lru, x).toFloatArray());
            }
            stateSize = lru.getStateSize();
            systems.put(step, lru.getRealization());
        }
    }
}
