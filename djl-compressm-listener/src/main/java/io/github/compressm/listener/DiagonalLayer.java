package io.github.compressm.listener;

import io.github.compressm.control.GramianWeighting;
import io.github.compressm.control.HankelAnalysis;
import io.github.compressm.control.Reduction;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.SignalWeights;
import io.github.compressm.control.StateSpectrum;
import io.github.compressm.control.SystemReducer;
import io.github.compressm.ssm.DiagonalRealization;
import io.github.compressm.ssm.DiagonalSsmBlock;
import io.github.compressm.ssm.SignalMoments;
import io.github.compressm.ssm.SsmBlock;
import java.util.Random;

/**
 * A linear time-invariant layer with a diagonal state matrix ({@link DiagonalSsmBlock}):
 * closed-form Gramians of its realisation, optionally weighted by the moments of its input and of
 * the loss gradient at its output ({@link GramianWeighting#DATA}), balanced truncation back to a
 * diagonal realisation.
 */
final class DiagonalLayer implements CompressibleLayer {

    private final DiagonalSsmBlock block;
    private final SystemReducer reducer;
    private final GramianWeighting weighting;
    private final double inputWeightFloor;

    DiagonalLayer(
            DiagonalSsmBlock block,
            SystemReducer reducer,
            GramianWeighting weighting,
            double inputWeightFloor) {
        this.block = block;
        this.reducer = reducer;
        this.weighting = weighting;
        this.inputWeightFloor = inputWeightFloor;
    }

    /** {@inheritDoc} */
    @Override
    public SsmBlock getBlock() {
        return block;
    }

    /** {@inheritDoc} */
    @Override
    public boolean recordsSignals() {
        return weighting == GramianWeighting.DATA;
    }

    /** {@inheritDoc} */
    @Override
    public Analysis analyse() {
        DiagonalRealization current = block.getRealization();
        if (weighting == GramianWeighting.NONE) {
            return new Balanced(current, reducer.analyse(current, null), null);
        }
        HankelAnalysis weighted = reducer.analyse(current, weights());
        return new Balanced(current, weighted, reducer.hankelSingularValues(current, null));
    }

    /** The Gramian weights from the layer's moments since the previous check. */
    private SignalWeights weights() {
        SignalMoments moments = block.getSignalMoments().takeMoments();
        if (moments == null) {
            throw new IllegalStateException(
                    "no training pass of this layer was recorded since the previous check, so its"
                            + " data weights are unknown");
        }
        return SignalWeights.of(moments.getSignal(), moments.getGradient(), inputWeightFloor);
    }

    /** The layer's analysis at one check. */
    private final class Balanced implements Analysis {

        private final DiagonalRealization current;
        private final HankelAnalysis analysis;
        private final double[] localHsv;

        Balanced(DiagonalRealization current, HankelAnalysis analysis, double[] localHsv) {
            this.current = current;
            this.analysis = analysis;
            this.localHsv = localHsv;
        }

        /** {@inheritDoc} */
        @Override
        public StateSpectrum getSpectrum() {
            return analysis;
        }

        /** {@inheritDoc} */
        @Override
        public GramianWeighting getWeighting() {
            return weighting;
        }

        /** {@inheritDoc} */
        @Override
        public double[] getLocalHankelSingularValues() {
            return localHsv;
        }

        /** {@inheritDoc} */
        @Override
        public String describe() {
            SignalWeights weights = analysis.getWeights();
            return weights == null
                    ? ""
                    : String.format(
                            "data-weighted Gramians (ridges %.3g on the input moment, %.3g on the"
                                    + " output gradient moment)",
                            weights.getInputRidge(), weights.getOutputRidge());
        }

        /**
         * {@inheritDoc}
         *
         * <p>The analysis holds the layer's current system, so every truncation can be undone.
         */
        @Override
        public Truncation truncate(
                int order, SelectionMode selection, Random random, boolean undoable) {
            Reduction reduction = reducer.reduce(analysis, order, selection, random);
            return new Truncation() {
                @Override
                public int getStateCount() {
                    return reduction.getStateCount();
                }

                @Override
                public double getEnergyKept() {
                    return reduction.getEnergyKept();
                }

                @Override
                public void apply() {
                    block.setRealization(reduction.getRealization());
                }

                @Override
                public void undo() {
                    block.setRealization(current);
                }
            };
        }
    }
}
