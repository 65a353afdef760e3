package io.github.compressm.benchmarks;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The comparison's result as written to its JSON file (format {@value #FORMAT_VERSION}: version 1
 * had no format version, validity or peer runtime; version 2 had no layer choice, so always the
 * LRU), and the ratios derived from its series.
 */
final class ComparisonRecords {

    /** The JSON format's version. */
    static final int FORMAT_VERSION = 3;

    /** The two passes, the two sides and the projections' subject, as written to the JSON file. */
    static final String FORWARD_BACKWARD = "forward+backward";

    static final String FORWARD = "forward";
    static final String PEER = "peer";
    static final String DJL = "djl";
    static final String PROJECTIONS = "projections";
    static final String LAYER = "layer";

    /** Both passes, in the order of the tables. */
    static final List<String> PASSES = List.of(FORWARD_BACKWARD, FORWARD);

    private ComparisonRecords() {}

    /** PyTorch thread counts of one side. */
    record Threads(int intraOp, int interOp) {}

    /**
     * The peer process's runtime: its PyTorch, threads, the BLAS and OpenMP libraries it mapped and
     * the thread environment it was started with.
     */
    record PeerRuntime(
            String python,
            String torchVersion,
            Threads threads,
            String blas,
            List<String> blasLibraries,
            List<String> openMpLibraries,
            Integer blasThreads,
            String blasConfig,
            Map<String, String> threadEnvironment) {}

    /**
     * The protocol's parameters: {@code ssm} the compared layer ({@code lru} or {@code mamba2}),
     * {@code layer} our block's class, {@code peerChunkLength} the peer's chunk length, {@code
     * projections} the products of the validity check, {@code differences} where our block and the
     * peer's differ in architecture (empty if they compute the same math).
     */
    record Protocol(
            int warmups,
            int runs,
            int runsPerRound,
            int batch,
            int length,
            int features,
            int chunkLength,
            List<Integer> stateSizes,
            List<String> peerScans,
            String peerScript,
            String order,
            String ssm,
            String layer,
            int peerChunkLength,
            String projections,
            List<String> differences) {}

    /** The timed calls of one side and measurement, in milliseconds. */
    record Series(
            int stateSize,
            String pass,
            String side,
            String subject,
            List<Double> timesMs,
            double minMs,
            double medianMs) {

        /**
         * The series of one state size's timed measurements, with their minima and medians.
         *
         * @param n the state size
         * @param times every measurement's timed calls, in milliseconds
         * @return one series per measurement, in the map's order
         */
        static List<Series> of(int n, Map<TimedRounds.Measurement, List<Double>> times) {
            List<Series> result = new ArrayList<>();
            for (Map.Entry<TimedRounds.Measurement, List<Double>> e : times.entrySet()) {
                TimedRounds.Measurement m = e.getKey();
                List<Double> t = e.getValue();
                result.add(
                        new Series(
                                n,
                                m.pass(),
                                m.side(),
                                m.subject(),
                                t,
                                TimingStatistics.min(t),
                                TimingStatistics.median(t)));
            }
            return result;
        }

        /**
         * The series of one state size, pass, side and subject.
         *
         * @throws java.util.NoSuchElementException if there is none
         */
        static Series find(List<Series> all, int n, String pass, String side, String subject) {
            return all.stream()
                    .filter(
                            s ->
                                    s.stateSize() == n
                                            && s.pass().equals(pass)
                                            && s.side().equals(side)
                                            && s.subject().equals(subject))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /**
     * A ratio of two series, of their minima and of their medians; {@code acrossEngines} if the two
     * series ran on different sides.
     */
    record Ratio(
            int stateSize,
            String pass,
            String name,
            boolean acrossEngines,
            double ofMinima,
            double ofMedians) {

        static Ratio of(int n, String pass, String name, Series a, Series b) {
            return new Ratio(
                    n,
                    pass,
                    name,
                    !a.side().equals(b.side()),
                    a.minMs() / b.minMs(),
                    a.medianMs() / b.medianMs());
        }
    }

    /**
     * The whole result. A run that is not valid reports only the ratios within one engine: its
     * series stay, as measurements, but the peer and DJL ran on unlike BLAS libraries.
     */
    record Report(
            int formatVersion,
            String started,
            String finished,
            boolean smokeRun,
            boolean valid,
            ProjectionCheck.Validity validity,
            Protocol protocol,
            Map<String, Threads> threads,
            PeerRuntime peerRuntime,
            Map<String, String> versions,
            int processors,
            Map<String, String> loadAverage,
            List<Series> series,
            List<Ratio> ratios,
            String markdown) {

        /** The same report with its Markdown rendering. */
        Report withMarkdown(String text) {
            return new Report(
                    formatVersion,
                    started,
                    finished,
                    smokeRun,
                    valid,
                    validity,
                    protocol,
                    threads,
                    peerRuntime,
                    versions,
                    processors,
                    loadAverage,
                    series,
                    ratios,
                    text);
        }
    }

    /** The subject of the peer's layer with one scan. */
    static String peerLayer(String scan) {
        return LAYER + ", " + scan + " scan";
    }

    /**
     * Every ratio of the comparison: the peer's layer against ours and against the peer's own
     * projections, ours against its projections, and the two sides' projections.
     *
     * @param label our layer's name in the ratios' names ({@code LRU}, {@code Mamba2})
     */
    static List<Ratio> ratios(
            String label, List<Integer> sizes, List<String> scans, List<Series> series) {
        List<Ratio> ratios = new ArrayList<>();
        for (int n : sizes) {
            for (String pass : PASSES) {
                Series lru = Series.find(series, n, pass, DJL, LAYER);
                Series proj = Series.find(series, n, pass, DJL, PROJECTIONS);
                Series peerProj = Series.find(series, n, pass, PEER, PROJECTIONS);
                for (String scan : scans) {
                    Series peer = Series.find(series, n, pass, PEER, peerLayer(scan));
                    ratios.add(Ratio.of(n, pass, "peer " + scan + " / " + label, peer, lru));
                    ratios.add(
                            Ratio.of(
                                    n,
                                    pass,
                                    "peer " + scan + " / peer projections",
                                    peer,
                                    peerProj));
                }
                ratios.add(Ratio.of(n, pass, label + " / projections", lru, proj));
                ratios.add(Ratio.of(n, pass, "peer projections / projections", peerProj, proj));
            }
        }
        return ratios;
    }

    /**
     * The ratios a run may report.
     *
     * @param ratios all ratios
     * @param valid whether the run is valid
     * @return all ratios if valid, else only those within one engine
     */
    static List<Ratio> reportable(List<Ratio> ratios, boolean valid) {
        return valid ? ratios : ratios.stream().filter(r -> !r.acrossEngines()).toList();
    }

    /** Writes a report as pretty-printed JSON, creating the file's directory. */
    static void write(Object report, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(
                out,
                new GsonBuilder()
                                .setPrettyPrinting()
                                .serializeSpecialFloatingPointValues()
                                .serializeNulls()
                                .create()
                                .toJson(report)
                        + "\n",
                StandardCharsets.UTF_8);
    }
}
