package io.github.compressm.benchmarks;

import io.github.compressm.benchmarks.ComparisonRecords.PeerRuntime;
import io.github.compressm.benchmarks.ComparisonRecords.Protocol;
import io.github.compressm.benchmarks.ComparisonRecords.Report;
import io.github.compressm.benchmarks.ComparisonRecords.Series;
import io.github.compressm.benchmarks.ComparisonRecords.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-made comparison results: one state size, both passes, one peer scan, constant times. */
final class ComparisonFixtures {

    static final int N = 4;

    private ComparisonFixtures() {}

    /** A series whose every call took {@code ms}. */
    static Series constant(String pass, String side, String subject, double ms) {
        List<Double> t = List.of(ms, ms, ms);
        return new Series(N, pass, side, subject, t, ms, ms);
    }

    /**
     * Series with the given times of the peer's layer, DJL's layer, and both sides' projections,
     * the same in both passes.
     */
    static List<Series> series(double peerLayer, double lru, double peerProj, double djlProj) {
        List<Series> all = new ArrayList<>();
        for (String pass : ComparisonRecords.PASSES) {
            all.add(
                    constant(
                            pass,
                            ComparisonRecords.PEER,
                            ComparisonRecords.peerLayer("chunk"),
                            peerLayer));
            all.add(constant(pass, ComparisonRecords.DJL, ComparisonRecords.LAYER, lru));
            all.add(
                    constant(
                            pass, ComparisonRecords.PEER, ComparisonRecords.PROJECTIONS, peerProj));
            all.add(constant(pass, ComparisonRecords.DJL, ComparisonRecords.PROJECTIONS, djlProj));
        }
        return all;
    }

    static PeerRuntime runtime(Map<String, String> environment) {
        return new PeerRuntime(
                "/usr/bin/python3",
                "1.13.1",
                new Threads(2, 2),
                "OpenBLAS",
                List.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"),
                List.of("/usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0"),
                2,
                "OpenBLAS 0.3.21 DYNAMIC_ARCH",
                environment);
    }

    /** A report of the given series of the LRU, judged by the projection check. */
    static Report report(List<Series> series) {
        return report(ComparedLayer.LRU, series);
    }

    /** A report of the given series of a layer, judged by the projection check. */
    static Report report(ComparedLayer layer, List<Series> series) {
        ProjectionCheck.Validity validity =
                ProjectionCheck.judge(List.of(N), series, ProjectionCheck.MAX_PEER_RATIO);
        Protocol protocol =
                new Protocol(
                        3,
                        9,
                        3,
                        2,
                        56,
                        64,
                        0,
                        List.of(N),
                        List.of("chunk"),
                        "p.py",
                        "order",
                        layer.option(),
                        layer.className(),
                        layer.peerChunkLength(0),
                        layer.projections(),
                        layer.differences());
        return new Report(
                ComparisonRecords.FORMAT_VERSION,
                "start",
                "end",
                false,
                validity.valid(),
                validity,
                protocol,
                Map.of(ComparisonRecords.DJL, new Threads(2, 1)),
                runtime(Map.of()),
                Map.of("djl", "0.36.0", "djlPytorch", "2.7.1"),
                2,
                Map.of("before", "1.0 1.0 1.0", "after", "2.0 2.0 2.0"),
                series,
                ComparisonRecords.reportable(
                        ComparisonRecords.ratios(
                                layer.label(), List.of(N), List.of("chunk"), series),
                        validity.valid()),
                null);
    }
}
