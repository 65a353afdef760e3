package io.github.compressm.control;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Balanced truncation of a selective (time-varying) layer from data: empirical balanced truncation
 * (Lall, Marsden and Glavaski 2002). The controllability Gramian is the second moment of the
 * layer's states {@code P = E[s s^T]}, the observability Gramian that of the loss gradients with
 * respect to them {@code Q = E[g g^T]}; their square-root balancing ({@link SquareRootBalancing})
 * gives the Hankel singular values {@code sqrt(eig(P Q))} and the change of basis {@code s = T s~}
 * in which both are {@code diag(sigma)}.
 *
 * <p>For a layer whose decay is a scalar per channel group (Mamba-2), every change of basis of the
 * state commutes with the decay, so a truncation is exact in form: the reduced layer computes
 * {@code B_t -> W B_t} and {@code C_t -> V^T C_t} with {@code W} the kept rows of {@code T^{-1}}
 * and {@code V} the kept columns of {@code T} ({@link StateTransform}). What it discards is the
 * state energy weighted by the loss: directions the data rarely excites or the loss does not see.
 * One state of the layer is one balanced coordinate, so orders and state counts coincide.
 */
public final class EmpiricalBalancing implements StateSpectrum {

    /** The expected shape of both moments, for the messages. */
    private static final String SHAPE = "N x N for a state of size N";

    /** What to do about a non-finite moment. */
    private static final String FINITE =
            "the layer's recorded states or gradients were not finite; lower the learning rate or"
                    + " clip gradients";

    private final SquareRootBalancing balancing;
    private final double[] hsv;

    private EmpiricalBalancing(SquareRootBalancing balancing) {
        this.balancing = balancing;
        this.hsv = balancing.getHankelSingularValues();
    }

    /**
     * Balances a state moment and a gradient moment.
     *
     * @param stateMoment {@code E[s s^T]}, {@code N x N}, symmetric positive semi-definite
     * @param gradientMoment {@code E[g g^T]}, {@code N x N}, symmetric positive semi-definite
     * @return the balancing, with Hankel singular values computed
     * @throws IllegalArgumentException if the moments are not square of one size or not finite
     */
    public static EmpiricalBalancing of(double[][] stateMoment, double[][] gradientMoment) {
        DMatrixRMaj p = MatrixChecks.square("state moment", stateMoment, SHAPE, FINITE);
        DMatrixRMaj q = MatrixChecks.square("gradient moment", gradientMoment, SHAPE, FINITE);
        if (p.numRows != q.numRows) {
            throw new IllegalArgumentException(
                    "The state moment is "
                            + p.numRows
                            + "x"
                            + p.numRows
                            + " but the gradient moment "
                            + q.numRows
                            + "x"
                            + q.numRows
                            + ": both must be "
                            + SHAPE);
        }
        return new EmpiricalBalancing(new SquareRootBalancing(p, q));
    }

    /** {@inheritDoc} */
    @Override
    public double[] getHankelSingularValues() {
        return hsv.clone();
    }

    /** {@inheritDoc} */
    @Override
    public int getNumericalOrder() {
        return balancing.getNumericalOrder();
    }

    /** {@inheritDoc} */
    @Override
    public int statesForOrder(int order) {
        balancing.requireOrder(order);
        return order;
    }

    /**
     * Truncates the balanced state to {@code order} coordinates.
     *
     * @param order how many balanced coordinates to keep, in {@code [1, getNumericalOrder()]}
     * @param selection which ones
     * @param random the source for {@link SelectionMode#RANDOM}; may be null otherwise
     * @return the maps to apply to {@code B_t} and {@code C_t}
     * @throws IllegalArgumentException if {@code order} is out of range
     * @throws IllegalStateException if the transformation is not finite (moments too
     *     ill-conditioned)
     */
    public StateTransform truncate(int order, SelectionMode selection, Random random) {
        balancing.requireOrder(order);
        int[] kept = RankSelection.select(order, balancing.getNumericalOrder(), selection, random);
        SquareRootBalancing.Projection projection = balancing.project(kept);
        double[][] left = EjmlRows.of(projection.tinv());
        double[][] right = EjmlRows.of(projection.t());
        for (double[][] m : new double[][][] {left, right}) {
            for (double[] row : m) {
                for (double x : row) {
                    if (!Double.isFinite(x)) {
                        throw new IllegalStateException(
                                "Empirical balancing produced a non-finite entry: the recorded"
                                        + " moments are too ill-conditioned (largest Hankel"
                                        + " singular value "
                                        + hsv[0]
                                        + ")");
                    }
                }
            }
        }
        return new StateTransform(left, right, StateSpectrum.energyKept(hsv, kept));
    }
}
