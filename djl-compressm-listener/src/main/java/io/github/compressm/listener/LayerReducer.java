package io.github.compressm.listener;

import io.github.compressm.ssm.DiagonalRealization;

/**
 * The seam between the listener and the control-theory code: analyses one layer's system and
 * truncates it. The production implementation is {@link BalancedTruncationReducer}; tests inject
 * faulty reducers to check that a failure in the math leaves the layer intact.
 */
interface LayerReducer {

    /**
     * Computes the Hankel singular values of a layer's system.
     *
     * @param realization the layer's current system
     * @return the analysis, ready to truncate
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
         * order a truncation can keep.
         *
         * @return the numerical order
         */
        int getNumericalOrder();

        /**
         * Keeps the given balanced states.
         *
         * @param states the kept balanced states (indices into the descending Hankel singular
         *     values), ascending
         * @return the truncation
         */
        Truncation truncate(int[] states);
    }

    /** A truncated system, not yet converted back to the layer's diagonal form. */
    interface Truncation {

        /**
         * Returns the number of diagonal layer states the truncation maps to.
         *
         * @return the state count
         */
        int getStateCount();

        /**
         * Converts the truncated system to a diagonal realisation the layer accepts.
         *
         * @return the reduced realisation
         */
        DiagonalRealization toRealization();
    }
}
