package io.github.compressm.listener;

import io.github.compressm.control.SelectionMode;
import io.github.compressm.ssm.DiagonalRealization;
import java.util.Random;

/**
 * The seam between the listener and the control-theory code: analyses one layer's system and
 * reduces it. The production implementation is {@link BalancedTruncationReducer}, a thin adapter of
 * {@link io.github.compressm.control.SystemReducer}; tests inject faulty reducers to check that a
 * failure in the math leaves the layer intact.
 */
interface LayerReducer {

    /**
     * Computes the Hankel singular values of a layer's system.
     *
     * @param realization the layer's current system
     * @return the analysis, ready to reduce
     */
    Analysis analyse(DiagonalRealization realization);

    /** The Hankel analysis of one layer. */
    interface Analysis {

        /**
         * Returns the Hankel singular values, descending.
         *
         * @return a copy of the values
         */
        double[] getHankelSingularValues();

        /**
         * Returns how many leading Hankel singular values are numerically non-zero: the largest
         * order a reduction can keep.
         *
         * @return the numerical order
         */
        int getNumericalOrder();

        /**
         * Keeps {@code order} balanced states chosen by {@code mode}.
         *
         * @param order the number of balanced states, in {@code [1, getNumericalOrder()]}
         * @param mode which states
         * @param random the source for {@link SelectionMode#RANDOM}
         * @return the reduced system
         */
        Result reduce(int order, SelectionMode mode, Random random);
    }

    /** A reduced system with what the report needs to know about it. */
    interface Result {

        /**
         * Returns the number of diagonal layer states of the reduced system.
         *
         * @return the state count
         */
        int getStateCount();

        /**
         * Returns the fraction of Hankel energy in the kept states.
         *
         * @return the energy kept, in [0, 1]
         */
        double getEnergyKept();

        /**
         * Returns the reduced realisation the layer accepts.
         *
         * @return the realisation
         */
        DiagonalRealization getRealization();
    }
}
