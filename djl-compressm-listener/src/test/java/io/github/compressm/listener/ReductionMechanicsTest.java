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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * The mechanics of one reduction inside a running trainer: the output change is within the
 * balanced-truncation bound, the old parameters are never updated again, the new ones are.
 */
public class ReductionMechanicsTest {

    private static final int LENGTH = 64;
    private static final int BATCH = 16;
    private static final int HIDDEN = 8;
    private static final int REDUCTION_STEP = 4;

    @Test
    public void reductionRespectsTheBoundAndTheTrainerSwitchesParameters() throws Exception {
        Engine.getInstance().setRandomSeed(77);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("mechanics")) {
            Lru lru = Lru.builder().setStateSize(48).build();
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
            NDArray probe = manager.randomNormal(new Shape(3, LENGTH, HIDDEN));
            Probe before = new Probe(lru, probe);
            Probe after = new Probe(lru, probe);
            try (Trainer trainer =
                    TestTasks.trainer(
                            model,
                            TestTasks.config(1e-3f, true, before, listener, after),
                            BATCH,
                            LENGTH)) {
                Map<String, Parameter> original = parameters(lru);
                Map<String, float[]> originalAtSwap = null;
                Map<String, Parameter> swapped = null;
                Map<String, float[]> swappedAtSwap = null;
                int step = 0;
                for (Batch batch : trainer.iterateDataset(data)) {
                    step++;
                    EasyTrain.trainBatch(trainer, batch);
                    if (step == REDUCTION_STEP) {
                        Assert.assertEquals(lru.getStateSize(), after.stateSize);
                        Assert.assertTrue(lru.getStateSize() < 48, "no reduction at step 4");
                        originalAtSwap = values(original);
                        swapped = parameters(lru);
                        swappedAtSwap = values(swapped);
                        for (String name : original.keySet()) {
                            boolean replaced = !name.equals("D");
                            Assert.assertEquals(
                                    swapped.get(name) != original.get(name), replaced, name);
                            Assert.assertEquals(
                                    original.get(name).requiresGradient(), !replaced, name);
                        }
                    }
                    trainer.step();
                    batch.close();
                    if (step >= REDUCTION_STEP) {
                        // The old (replaced) parameters never change again.
                        for (String name : original.keySet()) {
                            if (!name.equals("D")) {
                                Assert.assertEquals(
                                        original.get(name).getArray().toFloatArray(),
                                        originalAtSwap.get(name),
                                        name + " (old) changed at step " + step);
                            }
                        }
                    }
                    if (step == REDUCTION_STEP) {
                        // The step right after the swap cannot touch the new parameters: the
                        // trainer has not seen them and they have no gradient yet.
                        for (String name : swapped.keySet()) {
                            if (!name.equals("D")) {
                                Assert.assertEquals(
                                        swapped.get(name).getArray().toFloatArray(),
                                        swappedAtSwap.get(name),
                                        name);
                            }
                        }
                    }
                    if (step == REDUCTION_STEP + 1) {
                        // From the next batch on, the trainer trains the new parameters.
                        for (String name : swapped.keySet()) {
                            Assert.assertNotEquals(
                                    swapped.get(name).getArray().toFloatArray(),
                                    swappedAtSwap.get(name),
                                    name + " (new) was not updated");
                        }
                    }
                    if (step == REDUCTION_STEP + 3) {
                        break;
                    }
                }
            }

            // The probe output moved by no more than the H-infinity bound of balanced truncation.
            List<Check> reductions = listener.getReport().getReductions();
            Assert.assertEquals(reductions.size(), 1);
            Check check = reductions.get(0);
            Assert.assertEquals(check.getStep(), REDUCTION_STEP);
            Assert.assertEquals(check.getOutcome(), Outcome.REDUCED);
            double[] hsv = check.getHankelSingularValues();
            double discarded = 0;
            for (int i = check.getKeptOrder(); i < hsv.length; i++) {
                discarded += hsv[i];
            }
            float[] y0 = before.outputs.get(REDUCTION_STEP);
            float[] y1 = after.outputs.get(REDUCTION_STEP);
            float[] u = probe.toFloatArray();
            double[] yFull = simulate(before.systems.get(REDUCTION_STEP), u);
            double[] yReduced = simulate(after.systems.get(REDUCTION_STEP), u);
            int perSequence = LENGTH * HIDDEN;
            for (int b = 0; b < 3; b++) {
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
                observed = Math.sqrt(observed);
                predicted = Math.sqrt(predicted);
                mismatch = Math.sqrt(mismatch);
                double bound = 2 * discarded * Math.sqrt(input);
                System.out.printf(
                        "sequence %d: ||dy|| = %.4g (double-precision truncation error %.4g,"
                                + " mismatch %.2g), bound 2 sum(sigma_discarded) ||u|| = %.4g,"
                                + " ||y|| = %.4g%n",
                        b, observed, predicted, mismatch, bound, Math.sqrt(output));
                Assert.assertTrue(observed > 0, "the reduction changed nothing");
                // The layer now computes exactly the truncated system (float32 evaluation).
                Assert.assertTrue(
                        mismatch <= 1e-4 * Math.sqrt(output),
                        "observed change " + observed + " vs exact " + predicted);
                // ... whose error obeys ||G - G_r||_inf <= 2 sum of discarded sigma.
                Assert.assertTrue(
                        predicted <= bound, "error " + predicted + " exceeds the bound " + bound);
            }
        }
    }

    /** Runs {@code x_t = lambda x_{t-1} + B u_t, y_t = Re(C x_t)} in double precision. */
    private static double[] simulate(DiagonalRealization r, float[] u) {
        int n = r.getStateSize();
        int h = r.getInputSize();
        double[] lre = r.getLambdaRe();
        double[] lim = r.getLambdaIm();
        double[][] bre = r.getBRe();
        double[][] bim = r.getBIm();
        double[][] cre = r.getCRe();
        double[][] cim = r.getCIm();
        int sequences = u.length / (LENGTH * h);
        double[] y = new double[u.length];
        for (int b = 0; b < sequences; b++) {
            double[] xr = new double[n];
            double[] xi = new double[n];
            for (int t = 0; t < LENGTH; t++) {
                int offset = (b * LENGTH + t) * h;
                for (int i = 0; i < n; i++) {
                    double dr = 0;
                    double di = 0;
                    for (int j = 0; j < h; j++) {
                        dr += bre[i][j] * u[offset + j];
                        di += bim[i][j] * u[offset + j];
                    }
                    double nr = lre[i] * xr[i] - lim[i] * xi[i] + dr;
                    double ni = lre[i] * xi[i] + lim[i] * xr[i] + di;
                    xr[i] = nr;
                    xi[i] = ni;
                }
                for (int j = 0; j < h; j++) {
                    double v = 0;
                    for (int i = 0; i < n; i++) {
                        v += cre[j][i] * xr[i] - cim[j][i] * xi[i];
                    }
                    y[offset + j] = v;
                }
            }
        }
        return y;
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
