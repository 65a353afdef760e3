package io.github.compressm.listener;

import io.github.compressm.control.GramianWeighting;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;

/** Collects the fields of one {@link Check} while the check runs. */
final class CheckDraft {

    private final long step;
    private final String layer;
    private final int before;
    private final long start = System.nanoTime();
    double[] hsv;
    double[] localHsv;
    GramianWeighting weighting = GramianWeighting.NONE;
    int order;
    Double energy;
    Double accuracyBefore;
    Double accuracyAfter;

    CheckDraft(long step, String layer, int before) {
        this.step = step;
        this.layer = layer;
        this.before = before;
    }

    /**
     * Finishes the check.
     *
     * @param outcome what the check did
     * @param after the layer's state size afterwards
     * @param message why
     * @return the check
     */
    Check done(Outcome outcome, int after, String message) {
        return new Check(
                step,
                layer,
                outcome,
                before,
                after,
                hsv,
                order,
                energy,
                accuracyBefore,
                accuracyAfter,
                (System.nanoTime() - start) / 1e6,
                message,
                weighting,
                localHsv);
    }
}
