package io.github.compressm.ssm;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;

/**
 * Trains a one-state layer that compression left with a real eigenvalue towards a complex one: the
 * check that a real mode handed to a block can leave the real axis.
 */
final class RealModeTraining {

    /** The modulus of the start and of the target eigenvalue. */
    static final double MODULUS = 0.9;

    /** The phase of the target eigenvalue. */
    static final double TARGET_PHASE = 1.0;

    private RealModeTraining() {}

    /**
     * Sets the real mode {@code (0.9, b = 1, c = 1)} into the block, trains with Adam (learning
     * rate 0.05) to reproduce {@code 0.9 exp(i)} with the same {@code b, c}, and returns the learnt
     * phase.
     *
     * @param block a one-feature block, not initialised
     * @param steps the Adam steps
     * @return {@code |arg lambda|} after training
     */
    static double learntPhase(AbstractDiagonalSsm block, int steps) {
        Engine.getInstance().setRandomSeed(77);
        double[][][] u = LruTest.randomInput(new Random(77), 4, 30, 1);
        double[][][] target =
                ReferenceRecurrence.run(
                        mode(Math.cos(TARGET_PHASE), Math.sin(TARGET_PHASE)), null, u);
        try (Model model = Model.newInstance("real-mode")) {
            model.setBlock(block);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.l2Loss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(0.05f))
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                NDManager manager = trainer.getManager();
                NDArray x = LruTest.toArray(manager, u, DataType.FLOAT32);
                NDArray y = LruTest.toArray(manager, target, DataType.FLOAT32);
                trainer.initialize(x.getShape());
                block.setRealization(mode(1, 0));
                block.getParameters().get("D").getArray().set(new float[] {0});
                for (int step = 0; step < steps; step++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray prediction = trainer.forward(new NDList(x)).head();
                        collector.backward(prediction.sub(y).square().mean());
                    }
                    trainer.step();
                }
            }
            Complex lambda = block.getRealization().eigenvalue(0);
            return Math.abs(Math.atan2(lambda.im(), lambda.re()));
        }
    }

    /** The one-state system {@code 0.9 (cos, sin)} with {@code b = c = 1}. */
    private static DiagonalRealization mode(double cos, double sin) {
        return new DiagonalRealization(
                new double[] {MODULUS * cos},
                new double[] {MODULUS * sin},
                new double[][] {{1}},
                new double[][] {{0}},
                new double[][] {{1}},
                new double[][] {{0}});
    }
}
