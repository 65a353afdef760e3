package io.github.compressm.listener;

import io.github.compressm.control.EmpiricalBalancing;
import io.github.compressm.control.GramianWeighting;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.StateSpectrum;
import io.github.compressm.control.StateTransform;
import io.github.compressm.ssm.SelectiveSsmBlock;
import io.github.compressm.ssm.SignalMoments;
import io.github.compressm.ssm.SsmBlock;
import io.github.compressm.ssm.StateMaps;
import java.util.Random;

/**
 * A selective layer ({@link SelectiveSsmBlock}): empirical Gramians from its recorded states and
 * their loss gradients ({@link EmpiricalBalancing}), a truncation folded into the maps that compute
 * {@code B_t} and {@code C_t}; undone by putting the previous maps back, copied only when the check
 * may roll back.
 */
final class SelectiveLayer implements CompressibleLayer {

    private final SelectiveSsmBlock block;

    SelectiveLayer(SelectiveSsmBlock block) {
        this.block = block;
    }

    /** {@inheritDoc} */
    @Override
    public SsmBlock getBlock() {
        return block;
    }

    /** {@inheritDoc} */
    @Override
    public boolean recordsSignals() {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public Analysis analyse() {
        SignalMoments moments = block.getSignalMoments().takeMoments();
        if (moments == null) {
            throw new IllegalStateException(
                    "no training pass of this selective layer was recorded since the previous"
                            + " check, so its empirical Gramians are unknown");
        }
        EmpiricalBalancing balancing =
                EmpiricalBalancing.of(moments.getSignal(), moments.getGradient());
        long samples = Math.min(moments.getSignalSamples(), moments.getGradientSamples());
        return new Analysis() {
            @Override
            public StateSpectrum getSpectrum() {
                return balancing;
            }

            @Override
            public GramianWeighting getWeighting() {
                return GramianWeighting.DATA;
            }

            @Override
            public double[] getLocalHankelSingularValues() {
                return null;
            }

            @Override
            public String describe() {
                return "empirical Gramians from " + samples + " recorded states";
            }

            @Override
            public Truncation truncate(
                    int order, SelectionMode selection, Random random, boolean undoable) {
                StateTransform transform = balancing.truncate(order, selection, random);
                // The maps are copied to the host only if a rollback may put them back.
                StateMaps before = undoable ? block.getStateMaps() : null;
                return new Truncation() {
                    @Override
                    public int getStateCount() {
                        return transform.getStateCount();
                    }

                    @Override
                    public double getEnergyKept() {
                        return transform.getEnergyKept();
                    }

                    @Override
                    public void apply() {
                        block.reduceState(transform.getLeft(), transform.getRight());
                    }

                    @Override
                    public void undo() {
                        if (before == null) {
                            throw new IllegalStateException(
                                    "this truncation of a selective layer kept no copy of the"
                                            + " layer's maps; truncate it as undoable to undo it");
                        }
                        block.setStateMaps(before);
                    }
                };
            }
        };
    }
}
