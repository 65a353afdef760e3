package io.github.compressm.control;

import io.github.compressm.ssm.DiagonalRealization;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Constant input and output weights for data-aware Hankel singular values ({@link
 * GramianWeighting#DATA}): frequency-weighted balanced truncation (Enns 1984) with constant
 * weights.
 *
 * <p>{@code R} is the second moment of the layer's inputs, {@code E[u u^T]}, and {@code S} the
 * second moment of the loss gradient at the layer's output, {@code E[g g^T]}. With square roots
 * {@code R = L_R L_R^T} and {@code S = L_S L_S^T} (from their eigendecompositions), the weighted
 * system is {@code (A, B L_R, L_S^T C)}: its controllability Gramian counts only the input
 * directions the data excites, its observability Gramian only the output directions the loss reads.
 * Because the weights are constant, balancing the weighted system and truncating it is balanced
 * truncation of an ordinary LTI system, so stability is kept and {@code ||L_S^T (G - G_r) L_R||_inf
 * <= 2 * sum of the discarded weighted sigma}; as any square root of {@code R} differs from {@code
 * L_R} by an orthogonal factor, this is the bound on {@code W (G - G_r) R^{1/2}} with {@code W^T W
 * = S}. The output is {@code Re(C x)} throughout: the real weight {@code L_S^T} commutes with
 * {@code Re}.
 *
 * <p>Moments of rank below the feature count (a layer fed by a narrow projection, a loss that reads
 * one output) are singular, and round-off can make them slightly indefinite: each moment's
 * eigenvalues are clipped at zero and lifted by a ridge of {@link #RELATIVE_RIDGE} times its mean
 * eigenvalue, so unused directions keep a tiny, non-zero weight. {@link #getInputRidge()} and
 * {@link #getOutputRidge()} report the ridges applied.
 */
public final class SignalWeights {

    /** The ridge added to each moment, relative to its mean eigenvalue {@code trace / size}. */
    public static final double RELATIVE_RIDGE = 1e-6;

    private final DMatrixRMaj inputFactor;
    private final DMatrixRMaj outputFactor;
    private final double inputRidge;
    private final double outputRidge;

    private SignalWeights(Factor input, Factor output) {
        this.inputFactor = input.root;
        this.outputFactor = output.root;
        this.inputRidge = input.ridge;
        this.outputRidge = output.ridge;
    }

    /**
     * Creates weights from measured second moments.
     *
     * @param inputMoment {@code E[u u^T]} of the layer's inputs, {@code features x features},
     *     symmetric positive semi-definite
     * @param outputGradientMoment {@code E[g g^T]} of the loss gradient at the layer's output,
     *     {@code features x features}, symmetric positive semi-definite
     * @return the weights
     * @throws IllegalArgumentException if a moment is not square, has non-finite entries, is
     *     clearly indefinite, or is zero (no data was recorded)
     */
    public static SignalWeights of(double[][] inputMoment, double[][] outputGradientMoment) {
        return of(inputMoment, outputGradientMoment, 0);
    }

    /**
     * Creates weights from measured second moments, with a floor under the input weight: the input
     * moment's ridge is {@code max(inputFloor, RELATIVE_RIDGE)} times its mean eigenvalue, so every
     * input direction counts with at least that share of the average input power. A floor keeps
     * states driven by directions the inputs have not used so far, which matters while the layers
     * before this one still rotate the subspace their outputs span.
     *
     * @param inputMoment {@code E[u u^T]} of the layer's inputs, {@code features x features},
     *     symmetric positive semi-definite
     * @param outputGradientMoment {@code E[g g^T]} of the loss gradient at the layer's output,
     *     {@code features x features}, symmetric positive semi-definite
     * @param inputFloor the floor, a finite fraction {@code >= 0} of the input moment's mean
     *     eigenvalue (0: only the round-off ridge)
     * @return the weights
     * @throws IllegalArgumentException if the floor is negative or not finite, or a moment is not
     *     square, has non-finite entries, is clearly indefinite, or is zero (no data was recorded)
     */
    public static SignalWeights of(
            double[][] inputMoment, double[][] outputGradientMoment, double inputFloor) {
        if (!(inputFloor >= 0) || !Double.isFinite(inputFloor)) {
            throw new IllegalArgumentException(
                    "The input weight floor must be a finite fraction >= 0 of the input moment's"
                            + " mean eigenvalue (0 for none, e.g. 0.1), got "
                            + inputFloor);
        }
        return new SignalWeights(
                Factor.of("input moment", inputMoment, Math.max(inputFloor, RELATIVE_RIDGE)),
                Factor.of("output gradient moment", outputGradientMoment, RELATIVE_RIDGE));
    }

    /**
     * Returns the weighted system {@code (A, B L_R, L_S^T C)} of a layer.
     *
     * @param realization the layer's system
     * @return the weighted system, same state size
     * @throws IllegalArgumentException if the layer's inputs or outputs do not match the weights
     */
    public DiagonalRealization weigh(DiagonalRealization realization) {
        requireSize("inputs", realization.getInputSize(), inputFactor.numRows);
        requireSize("outputs", realization.getOutputSize(), outputFactor.numRows);
        DMatrixRMaj bRe =
                CommonOps_DDRM.mult(new DMatrixRMaj(realization.getBRe()), inputFactor, null);
        DMatrixRMaj bIm =
                CommonOps_DDRM.mult(new DMatrixRMaj(realization.getBIm()), inputFactor, null);
        DMatrixRMaj cRe =
                CommonOps_DDRM.multTransA(
                        outputFactor, new DMatrixRMaj(realization.getCRe()), null);
        DMatrixRMaj cIm =
                CommonOps_DDRM.multTransA(
                        outputFactor, new DMatrixRMaj(realization.getCIm()), null);
        return new DiagonalRealization(
                realization.getLambdaRe(),
                realization.getLambdaIm(),
                EjmlRows.of(bRe),
                EjmlRows.of(bIm),
                EjmlRows.of(cRe),
                EjmlRows.of(cIm));
    }

    /**
     * Returns the ridge added to the input moment before factoring.
     *
     * @return the absolute ridge: the floor (at least {@link #RELATIVE_RIDGE}) times the moment's
     *     mean eigenvalue
     */
    public double getInputRidge() {
        return inputRidge;
    }

    /**
     * Returns the ridge added to the output gradient moment before factoring.
     *
     * @return the absolute ridge, {@link #RELATIVE_RIDGE} times the moment's mean eigenvalue
     */
    public double getOutputRidge() {
        return outputRidge;
    }

    private static void requireSize(String what, int layer, int weights) {
        if (layer != weights) {
            throw new IllegalArgumentException(
                    "The layer has "
                            + layer
                            + " "
                            + what
                            + " but the weights were measured for "
                            + weights
                            + "; record the moments of this layer");
        }
    }

    /** A square root {@code F} of a regularised moment, {@code F F^T = M + ridge I}. */
    private static final class Factor {

        /** Negative eigenvalues down to this fraction of the trace are taken as round-off. */
        private static final double NEGATIVE_TOLERANCE = 1e-6;

        /** The expected shape of a moment, for the messages. */
        private static final String SHAPE = "features x features";

        /** What to do about a non-finite moment. */
        private static final String FINITE =
                "the layer's recorded inputs or output gradients were not finite; lower the"
                        + " learning rate or clip gradients";

        final DMatrixRMaj root;
        final double ridge;

        private Factor(DMatrixRMaj root, double ridge) {
            this.root = root;
            this.ridge = ridge;
        }

        static Factor of(String name, double[][] moment, double relativeRidge) {
            DMatrixRMaj checked = MatrixChecks.square(name, moment, SHAPE, FINITE);
            int size = checked.numRows;
            DMatrixRMaj m = new DMatrixRMaj(size, size);
            double trace = 0;
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    // Symmetrised: accumulated moments carry round-off asymmetry.
                    m.set(i, j, 0.5 * (checked.get(i, j) + checked.get(j, i)));
                }
                trace += m.get(i, i);
            }
            if (!(trace > 0)) {
                throw new IllegalArgumentException(
                        "The "
                                + name
                                + " is zero: no signal was recorded for this layer since the"
                                + " last check");
            }
            // A factor from the eigendecomposition: accumulated low-rank moments have tiny
            // negative eigenvalues from round-off, which are clipped before the ridge is added.
            EigenDecomposition_F64<DMatrixRMaj> eig =
                    DecompositionFactory_DDRM.eig(size, true, true);
            if (!eig.decompose(m)) {
                throw new IllegalArgumentException(
                        "The " + name + " has no eigendecomposition; is it symmetric and finite?");
            }
            double ridge = relativeRidge * trace / size;
            DMatrixRMaj factor = new DMatrixRMaj(size, size);
            for (int k = 0; k < size; k++) {
                double value = eig.getEigenvalue(k).getReal();
                if (value < -NEGATIVE_TOLERANCE * trace) {
                    throw new IllegalArgumentException(
                            "The "
                                    + name
                                    + " is not positive semi-definite: it has the eigenvalue "
                                    + value
                                    + " (trace "
                                    + trace
                                    + ")");
                }
                double scale = Math.sqrt(Math.max(value, 0) + ridge);
                DMatrixRMaj vector = eig.getEigenVector(k);
                for (int i = 0; i < size; i++) {
                    factor.set(i, k, scale * vector.get(i));
                }
            }
            return new Factor(factor, ridge);
        }
    }
}
