package io.github.compressm.ssm;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.Arrays;
import java.util.Random;

/**
 * Leaves a model's first residual layer as compression would: with fewer states than it was built
 * with, so that whatever copies, saves, serves or steps the model must take the saved size.
 */
public final class CompressedLayers {

    private CompressedLayers() {}

    /**
     * Cuts the SSM of the model's first residual layer to {@code keep} states: a diagonal layer
     * keeps its first modes, the first of them made real; a {@link Mamba2} layer is reduced with
     * random projections ({@link Mamba2#reduceState}).
     *
     * @param model a sequential model whose second child is an initialised {@link SsmResidualBlock}
     * @param keep the states to keep, fewer than the layer has
     */
    public static void cutFirstLayer(SequentialBlock model, int keep) {
        Block ssm = ((SsmResidualBlock) model.getChildren().get(1).getValue()).getSsm();
        if (ssm instanceof AbstractDiagonalSsm) {
            AbstractDiagonalSsm layer = (AbstractDiagonalSsm) ssm;
            DiagonalRealization r = layer.getRealization();
            double[] lambdaIm = Arrays.copyOf(r.getLambdaIm(), keep);
            lambdaIm[0] = 0;
            layer.setRealization(
                    new DiagonalRealization(
                            Arrays.copyOf(r.getLambdaRe(), keep),
                            lambdaIm,
                            Arrays.copyOf(r.getBRe(), keep),
                            Arrays.copyOf(r.getBIm(), keep),
                            firstColumns(r.getCRe(), keep),
                            firstColumns(r.getCIm(), keep)));
        } else {
            Mamba2 layer = (Mamba2) ssm;
            int n = layer.getStateSize();
            Random random = new Random(keep);
            layer.reduceState(gaussian(random, keep, n, n), gaussian(random, n, keep, n));
        }
        if (((SsmBlock) ssm).getStateSize() != keep) {
            throw new AssertionError("the first layer kept " + ((SsmBlock) ssm).getStateSize());
        }
    }

    private static double[][] firstColumns(double[][] rows, int keep) {
        return Arrays.stream(rows).map(row -> Arrays.copyOf(row, keep)).toArray(double[][]::new);
    }

    /** Entries of variance {@code 1 / n}: a map of {@code n} states that keeps their scale. */
    private static double[][] gaussian(Random random, int rows, int columns, int n) {
        double[][] m = new double[rows][columns];
        for (double[] row : m) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextGaussian() / Math.sqrt(n);
            }
        }
        return m;
    }
}
