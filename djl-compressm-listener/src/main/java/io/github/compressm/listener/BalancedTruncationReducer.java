package io.github.compressm.listener;

import io.github.compressm.control.BalancedTruncation;
import io.github.compressm.control.DiagonalForm;
import io.github.compressm.control.GramianMode;
import io.github.compressm.control.Gramians;
import io.github.compressm.control.RealSystem;
import io.github.compressm.ssm.DiagonalRealization;

/** The production {@link LayerReducer}: square-root balanced truncation of the layer's system. */
final class BalancedTruncationReducer implements LayerReducer {

    private final GramianMode mode;

    BalancedTruncationReducer(GramianMode mode) {
        this.mode = mode;
    }

    /** {@inheritDoc} */
    @Override
    public Analysis analyse(DiagonalRealization realization) {
        RealSystem system = RealSystem.fromDiagonal(realization);
        BalancedTruncation bt = BalancedTruncation.of(system, Gramians.of(realization, mode));
        return new Analysis() {

            /** {@inheritDoc} */
            @Override
            public double[] getHankelSingularValues() {
                return bt.getHankelSingularValues();
            }

            /** {@inheritDoc} */
            @Override
            public int getNumericalOrder() {
                return bt.getNumericalOrder();
            }

            /** {@inheritDoc} */
            @Override
            public Truncation truncate(int[] states) {
                RealSystem reduced = bt.truncate(states);
                return new Truncation() {

                    /** {@inheritDoc} */
                    @Override
                    public int getStateCount() {
                        return DiagonalForm.stateCount(reduced.getA());
                    }

                    /** {@inheritDoc} */
                    @Override
                    public DiagonalRealization toRealization() {
                        return DiagonalForm.of(reduced);
                    }
                };
            }
        };
    }
}
