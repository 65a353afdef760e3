package io.github.compressm.benchmarks;

import io.github.compressm.benchmarks.ComparisonRecords.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison's check of like with like: both sides time the layer's input and output
 * projections, the same plain matrix products {@code (B*L, H) x (H, 2N) x (2N, H)}, in their own
 * PyTorch. A peer whose products are more than {@link #MAX_PEER_RATIO} times slower than DJL's (by
 * the ratio of the minima, at any state size and pass) runs on an unlike BLAS, such as a reference
 * BLAS, and the run's layer ratios are void.
 */
final class ProjectionCheck {

    /**
     * The largest peer / DJL ratio of the projections' minima that still compares like with like.
     */
    static final double MAX_PEER_RATIO = 3.0;

    private ProjectionCheck() {}

    /** The projections of one state size and pass on both sides. */
    record Check(
            int stateSize,
            String pass,
            double peerMinMs,
            double djlMinMs,
            double peerOverDjl,
            boolean passed) {}

    /** The verdict: valid if every check passed. */
    record Validity(boolean valid, double maxPeerOverDjl, String rule, List<Check> checks) {

        /** The check with the largest peer / DJL ratio (a failed one if any failed). */
        Check worst() {
            Check worst = checks.get(0);
            for (Check c : checks) {
                if (!c.passed() && worst.passed()
                        || c.passed() == worst.passed() && c.peerOverDjl() > worst.peerOverDjl()) {
                    worst = c;
                }
            }
            return worst;
        }
    }

    /**
     * Judges the projections of every state size and pass.
     *
     * @param sizes the state sizes
     * @param series the comparison's series, with both sides' projections
     * @param maxPeerOverDjl the largest acceptable peer / DJL ratio of the minima
     * @return the verdict
     */
    static Validity judge(List<Integer> sizes, List<Series> series, double maxPeerOverDjl) {
        List<Check> checks = new ArrayList<>();
        boolean valid = !sizes.isEmpty();
        for (int n : sizes) {
            for (String pass : ComparisonRecords.PASSES) {
                double peer =
                        Series.find(
                                        series,
                                        n,
                                        pass,
                                        ComparisonRecords.PEER,
                                        ComparisonRecords.PROJECTIONS)
                                .minMs();
                double djl =
                        Series.find(
                                        series,
                                        n,
                                        pass,
                                        ComparisonRecords.DJL,
                                        ComparisonRecords.PROJECTIONS)
                                .minMs();
                double ratio = peer / djl;
                // NaN (no timings) fails: nothing shows the engines comparable.
                boolean passed = ratio <= maxPeerOverDjl;
                valid &= passed;
                checks.add(new Check(n, pass, peer, djl, ratio, passed));
            }
        }
        String rule =
                String.format(
                        Locale.ROOT,
                        "valid if the peer's projections (the same matrix products as DJL's) are at"
                                + " most %.1fx slower than DJL's, by the minima, at every state"
                                + " size and pass",
                        maxPeerOverDjl);
        return new Validity(valid, maxPeerOverDjl, rule, checks);
    }
}
