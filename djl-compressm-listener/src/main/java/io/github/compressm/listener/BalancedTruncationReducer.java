package io.github.compressm.listener;

import io.github.compressm.control.GramianMode;
import io.github.compressm.control.HankelAnalysis;
import io.github.compressm.control.Reduction;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.SystemReducer;
import io.github.compressm.ssm.DiagonalRealization;
import java.util.Random;

/** The production {@link LayerReducer}: balanced truncation by {@link SystemReducer}. */
final class BalancedTruncationReducer implements LayerReducer {

    private final SystemReducer reducer;

    BalancedTruncationReducer(GramianMode mode) {
        reducer = new SystemReducer(mode);
    }

    /** {@inheritDoc} */
    @Override
    public Analysis analyse(DiagonalRealization realization) {
        HankelAnalysis analysis = reducer.analyse(realization);
        return new Analysis() {

            /** {@inheritDoc} */
            @Override
            public double[] getHankelSingularValues() {
                return analysis.getHankelSingularValues();
            }

            /** {@inheritDoc} */
            @Override
            public int getNumericalOrder() {
                return analysis.getNumericalOrder();
            }

            /** {@inheritDoc} */
            @Override
            public Result reduce(int order, SelectionMode mode, Random random) {
                Reduction reduction = reducer.reduce(analysis, order, mode, random);
                return new Result() {

                    /** {@inheritDoc} */
                    @Override
                    public int getStateCount() {
                        return reduction.getStateCount();
                    }

                    /** {@inheritDoc} */
                    @Override
                    public double getEnergyKept() {
                        return reduction.getEnergyKept();
                    }

                    /** {@inheritDoc} */
                    @Override
                    public DiagonalRealization getRealization() {
                        return reduction.getRealization();
                    }
                };
            }
        };
    }
}
