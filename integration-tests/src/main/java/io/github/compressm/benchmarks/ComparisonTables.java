package io.github.compressm.benchmarks;

import io.github.compressm.benchmarks.ComparisonRecords.PeerRuntime;
import io.github.compressm.benchmarks.ComparisonRecords.Protocol;
import io.github.compressm.benchmarks.ComparisonRecords.Report;
import io.github.compressm.benchmarks.ComparisonRecords.Series;
import io.github.compressm.benchmarks.ComparisonRecords.Threads;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The comparison's Markdown: a header with the setup, the peer's BLAS and the validity verdict,
 * then the layer against the peer and the layer against its own projections. The ratio columns of a
 * run that is not valid read "void".
 */
final class ComparisonTables {

    private static final String VOID = "void";

    private ComparisonTables() {}

    /**
     * Renders a report.
     *
     * @param report the result (its own Markdown is ignored)
     * @return the Markdown text
     */
    static String markdown(Report report) {
        Protocol protocol = report.protocol();
        StringBuilder sb = new StringBuilder();
        if (report.smokeRun()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "**Smoke run, not a result: %d warm-up call(s) and %d timed call(s),"
                                    + " below the protocol's %d and %d.**%n%n",
                            protocol.warmups(),
                            protocol.runs(),
                            TimingOptions.MIN_WARMUPS,
                            TimingOptions.MIN_RUNS));
        }
        sb.append(validity(report.validity())).append("\n\n");
        sb.append(setup(report)).append("\n\n");
        sb.append(peerRuntime(report.peerRuntime())).append("\n\n");
        ComparedLayer layer = ComparedLayer.of(protocol.ssm());
        String ours = layer.label();
        if (!protocol.differences().isEmpty()) {
            sb.append(differences(protocol)).append("\n\n");
        }
        boolean valid = report.valid();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| N | pass | %1$s min | %1$s median | peer scan | peer min | peer median |"
                                + " peer / %1$s (minima) | peer / %1$s (medians) |%n",
                        ours));
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        List<Series> series = report.series();
        for (int n : protocol.stateSizes()) {
            for (String pass : ComparisonRecords.PASSES) {
                Series lru =
                        Series.find(
                                series, n, pass, ComparisonRecords.DJL, ComparisonRecords.LAYER);
                for (String scan : protocol.peerScans()) {
                    Series peer =
                            Series.find(
                                    series,
                                    n,
                                    pass,
                                    ComparisonRecords.PEER,
                                    ComparisonRecords.peerLayer(scan));
                    sb.append(
                            String.format(
                                    Locale.ROOT,
                                    "| %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                                    n,
                                    pass,
                                    format(lru.minMs()),
                                    format(lru.medianMs()),
                                    scan,
                                    format(peer.minMs()),
                                    format(peer.medianMs()),
                                    ratio(valid, peer.minMs() / lru.minMs(), "x"),
                                    ratio(valid, peer.medianMs() / lru.medianMs(), "x")));
                }
            }
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%nThe layer against its own two projections (%s, the same products timed"
                                + " in the peer's PyTorch as a check of the two engines):%n%n",
                        protocol.projections()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| N | pass | %1$s min | %1$s median | projections min | projections median"
                                + " | layer / projections (minima) | layer / projections (medians)"
                                + " | peer's projections min | peer's projections median |%n",
                        ours));
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (int n : protocol.stateSizes()) {
            for (String pass : ComparisonRecords.PASSES) {
                Series lru =
                        Series.find(
                                series, n, pass, ComparisonRecords.DJL, ComparisonRecords.LAYER);
                Series proj =
                        Series.find(
                                series,
                                n,
                                pass,
                                ComparisonRecords.DJL,
                                ComparisonRecords.PROJECTIONS);
                Series peerProj =
                        Series.find(
                                series,
                                n,
                                pass,
                                ComparisonRecords.PEER,
                                ComparisonRecords.PROJECTIONS);
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                                n,
                                pass,
                                format(lru.minMs()),
                                format(lru.medianMs()),
                                format(proj.minMs()),
                                format(proj.medianMs()),
                                ratio(true, lru.minMs() / proj.minMs(), ""),
                                ratio(true, lru.medianMs() / proj.medianMs(), ""),
                                format(peerProj.minMs()),
                                format(peerProj.medianMs())));
            }
        }
        return sb.toString();
    }

    /** The verdict's sentence, bold when the run is not valid. */
    static String validity(ProjectionCheck.Validity validity) {
        ProjectionCheck.Check worst = validity.worst();
        String where =
                String.format(
                        Locale.ROOT,
                        "%.2fx at N = %d, %s (peer %s ms, DJL %s ms)",
                        worst.peerOverDjl(),
                        worst.stateSize(),
                        worst.pass(),
                        format(worst.peerMinMs()),
                        format(worst.djlMinMs()));
        if (validity.valid()) {
            return String.format(
                    Locale.ROOT,
                    "Valid: the peer's plain matrix products (the projections) are at most %.1fx"
                            + " slower than DJL's at every size and pass; the largest peer / DJL"
                            + " ratio of the minima is %s.",
                    validity.maxPeerOverDjl(),
                    where);
        }
        return String.format(
                Locale.ROOT,
                "**INVALID: the peer's plain matrix products (the projections) run %s, more than"
                        + " %.1fx slower than DJL's: the peer's BLAS is not comparable (see below),"
                        + " so the layer ratios are void. Select an optimised libblas.so.3 (e.g."
                        + " Debian's libopenblas0-pthread) and run again.**",
                where,
                validity.maxPeerOverDjl());
    }

    /** Where the two blocks differ, as one paragraph. */
    static String differences(Protocol protocol) {
        return "Not the same math: a yardstick of similar work. `"
                + protocol.layer()
                + "` and the peer's block have the same sizes and algorithm but differ in: "
                + String.join("; ", protocol.differences())
                + ".";
    }

    private static String setup(Report report) {
        Protocol protocol = report.protocol();
        Threads djl = report.threads().get(ComparisonRecords.DJL);
        PeerRuntime peer = report.peerRuntime();
        int rounds = new TimedRounds(0, protocol.runs(), protocol.runsPerRound()).rounds();
        return String.format(
                Locale.ROOT,
                "`%s` (DJL %s, PyTorch %s, %d intra-op / %d inter-op threads) against the peer"
                        + " `%s` (PyTorch %s, %d intra-op / %d inter-op threads); B = %d, L = %d,"
                        + " H = %d%s; per side and measurement %d warm-up call(s), then %d timed"
                        + " call(s) in %d round(s) of up to %d, the sides alternating (peer, Java)"
                        + " in every round; ms per call; %d processors, load average %s before,"
                        + " %s after.",
                protocol.layer(),
                report.versions().get("djl"),
                report.versions().get("djlPytorch"),
                djl.intraOp(),
                djl.interOp(),
                protocol.peerScript(),
                peer.torchVersion(),
                peer.threads().intraOp(),
                peer.threads().interOp(),
                protocol.batch(),
                protocol.length(),
                protocol.features(),
                ComparedLayer.of(protocol.ssm())
                        .sizes(protocol.features(), protocol.peerChunkLength()),
                protocol.warmups(),
                protocol.runs(),
                rounds,
                protocol.runsPerRound(),
                report.processors(),
                report.loadAverage().get("before"),
                report.loadAverage().get("after"));
    }

    /** The peer's BLAS, OpenMP and thread environment, in one sentence. */
    static String peerRuntime(PeerRuntime peer) {
        String environment =
                peer.threadEnvironment().isEmpty()
                        ? "no OPENBLAS_/OMP_/MKL_ thread variables set"
                        : peer.threadEnvironment().entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining(", "));
        return String.format(
                Locale.ROOT,
                "Peer BLAS: %s (%s)%s%s; OpenMP: %s; environment: %s.",
                peer.blas(),
                peer.blasLibraries().isEmpty()
                        ? "no BLAS library mapped"
                        : String.join(", ", peer.blasLibraries()),
                peer.blasConfig() == null ? "" : ", `" + peer.blasConfig() + "`",
                peer.blasThreads() == null ? "" : ", " + peer.blasThreads() + " BLAS thread(s)",
                peer.openMpLibraries().isEmpty()
                        ? "none mapped"
                        : String.join(", ", peer.openMpLibraries()),
                environment);
    }

    private static String ratio(boolean valid, double value, String unit) {
        return valid ? String.format(Locale.ROOT, "%.2f%s", value, unit) : VOID;
    }

    static String format(double ms) {
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : "%.1f", ms);
    }
}
