package io.github.compressm.listener;

import ai.djl.Device;
import io.github.compressm.control.GramianWeighting;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.StateSpectrum;
import io.github.compressm.control.SystemReducer;
import io.github.compressm.ssm.DiagonalSsmBlock;
import io.github.compressm.ssm.SelectiveSsmBlock;
import io.github.compressm.ssm.SsmBlock;
import java.util.Random;

/**
 * The seam between the listener and one family of SSM layers: what a check needs of a layer. A
 * layer gives its balanced system ({@link #analyse()}) and carries out a truncation of it; the
 * listener's schedule, rule, report and rollback are the same for every family. Linear
 * time-invariant layers ({@link DiagonalSsmBlock}) balance their closed-form Gramians, selective
 * layers ({@link SelectiveSsmBlock}) the empirical Gramians of their recorded states.
 */
interface CompressibleLayer {

    /**
     * Returns the adapter of an SSM block.
     *
     * @param block the block
     * @param settings the run's settings
     * @param reducer the reducer of linear time-invariant layers
     * @return the adapter
     * @throws IllegalArgumentException if the block is of no known family
     */
    static CompressibleLayer of(
            SsmBlock block, CompressionSettings settings, SystemReducer reducer) {
        if (block instanceof DiagonalSsmBlock) {
            return new DiagonalLayer(
                    (DiagonalSsmBlock) block,
                    reducer,
                    settings.getGramianWeighting(),
                    settings.getInputWeightFloor());
        }
        if (block instanceof SelectiveSsmBlock) {
            return new SelectiveLayer((SelectiveSsmBlock) block);
        }
        throw new IllegalArgumentException(
                "CompreSSM cannot compress "
                        + block.getClass().getName()
                        + ": an SSM block must implement DiagonalSsmBlock or SelectiveSsmBlock");
    }

    /**
     * Returns the layer's block.
     *
     * @return the block
     */
    SsmBlock getBlock();

    /**
     * Returns whether the layer's signals are recorded before each check.
     *
     * @return true if {@link #analyse()} reads recorded moments
     */
    boolean recordsSignals();

    /**
     * Returns why the layer cannot be analysed now, or null if it can.
     *
     * @param live the trainer's first device, where parameters are updated in place
     * @return the problem, or null
     */
    default String problem(Device live) {
        return ParameterHealth.problem(getBlock(), live);
    }

    /**
     * Balances the layer's current system.
     *
     * @return the analysis
     * @throws RuntimeException if the system cannot be balanced (the layer is then left as it is)
     */
    Analysis analyse();

    /** A layer's balanced system at one check. */
    interface Analysis {

        /**
         * Returns the spectrum the truncation rule decides on.
         *
         * @return the spectrum
         */
        StateSpectrum getSpectrum();

        /**
         * Returns how the Gramians were weighted.
         *
         * @return the weighting
         */
        GramianWeighting getWeighting();

        /**
         * Returns the layer-local Hankel singular values beside data-weighted ones.
         *
         * @return the values, or null if the spectrum is the only one
         */
        double[] getLocalHankelSingularValues();

        /**
         * Describes how the Gramians were made, for the report's message.
         *
         * @return a short description, empty for the layer-local Gramians
         */
        String describe();

        /**
         * Truncates the balanced system; changes nothing in the layer yet.
         *
         * @param order the kept order, in the spectrum's units
         * @param selection which balanced states are kept
         * @param random the source for {@link SelectionMode#RANDOM}
         * @param undoable whether the truncation keeps what {@link Truncation#undo()} needs (the
         *     pragmatic mode's rollback); without it a layer may skip copying its current system
         * @return the truncation, ready to apply
         */
        Truncation truncate(int order, SelectionMode selection, Random random, boolean undoable);
    }

    /** A truncated system, ready to be swapped into its layer. */
    interface Truncation {

        /**
         * Returns the layer's state size once applied.
         *
         * @return the state count
         */
        int getStateCount();

        /**
         * Returns the fraction of Hankel energy the kept states hold.
         *
         * @return the energy kept, in [0, 1]
         */
        double getEnergyKept();

        /**
         * Swaps the truncated system into the layer: new parameters under the same names, the old
         * ones frozen; the block validates before it changes anything.
         */
        void apply();

        /**
         * Restores the layer as it was before {@link #apply()}.
         *
         * @throws IllegalStateException if the truncation was not made undoable and kept no copy of
         *     the layer
         */
        void undo();
    }
}
