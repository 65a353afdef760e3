package io.github.compressm.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.github.compressm.benchmarks.ComparisonRecords.PeerRuntime;
import io.github.compressm.benchmarks.ComparisonRecords.Protocol;
import io.github.compressm.benchmarks.ComparisonRecords.Ratio;
import io.github.compressm.benchmarks.ComparisonRecords.Report;
import io.github.compressm.benchmarks.ComparisonRecords.Series;
import io.github.compressm.benchmarks.ComparisonRecords.Threads;
import io.github.compressm.benchmarks.TimedRounds.Measurement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Times one {@link io.github.compressm.ssm.Lru} layer (through {@link LayerFixture}, the setup of
 * {@link LruLayerBenchmark}) and the PyTorch-in-Python peer ({@code lru_torch.py}) with one
 * protocol, and prints Markdown tables and writes a JSON file of the result. With {@code --ssm
 * mamba2} the same for one {@link io.github.compressm.ssm.Mamba2} block, built with the sizes of
 * the peer {@code mamba2_torch.py}'s {@code Mamba2Block}, against that block ({@link
 * ComparedLayer}: the two differ in architectural details, which the output states).
 *
 * <p>Protocol: the peer runs in one long-lived Python process ({@link PeerProcess}), the Java side
 * in this JVM. For every state size, every measurement (the layer's forward + backward of {@code
 * mean(y^2)}, its forward pass alone without gradient recording, and the same two for the layer's
 * input and output projections alone, on each side) first gets the same number of warm-up calls,
 * then the same number of timed calls, split into rounds ({@link TimedRounds}), peer and Java
 * alternating, so that drift on a shared machine hits both sides alike. Every call is timed on its
 * own inside its process ({@code System.nanoTime} here, {@code time.perf_counter} in the peer); the
 * minimum and the median of each side are reported, with the ratios of the minima and of the
 * medians. Both processes run with the same number of PyTorch intra-op threads, which is set
 * explicitly and read back from each engine; the peer's OpenBLAS gets the same number unless {@code
 * OPENBLAS_NUM_THREADS} is set. The peer's BLAS libraries (from its memory maps), BLAS threads and
 * thread environment are recorded, and a run whose peer computes the projections (plain matrix
 * products) several times slower than DJL is marked invalid ({@link ProjectionCheck}).
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "The LRU layer (or, with --ssm mamba2, the Mamba-2 block) against the"
                        + " PyTorch-in-Python peer: warm-ups, then timed calls in"
                        + " rounds alternating the two sides; minimum and median per side. A run"
                        + " whose peer computes plain matrix products more than 3x slower than DJL"
                        + " is marked INVALID. --json defaults to"
                        + " benchmark-results/compare-DATE.json.")
public final class LayerComparison implements Callable<Integer> {

    @Parameters(
            index = "0",
            arity = "0..1",
            split = ",",
            paramLabel = "N",
            description = "State sizes (the same as --state-sizes).")
    List<Integer> positionalSizes;

    @Option(
            names = "--ssm",
            description =
                    "The layer: lru (against lru_torch.py) or mamba2 (against mamba2_torch.py's"
                            + " Mamba2Block; expansion 2, head dimension 16, kernel 4) (default:"
                            + " ${DEFAULT-VALUE}).")
    String ssm = "lru";

    @Option(
            names = "--state-sizes",
            split = ",",
            description = "State sizes (default: 16,32,64,256 for lru, 16,64,128 for mamba2).")
    List<Integer> stateSizes;

    @Mixin TimingOptions timing = new TimingOptions();

    @Mixin LayerShapeOptions shape = new LayerShapeOptions();

    @Option(
            names = "--chunk-length",
            description =
                    "The LRU's chunk length, 0 for automatic; for mamba2 both blocks' chunk length,"
                            + " 0 for the peer's 56 (default: ${DEFAULT-VALUE}).")
    int chunkLength = 0;

    @Option(
            names = "--peer",
            description =
                    "The peer script (default: ../shared/peers/lru_torch.py, for mamba2"
                            + " ../shared/peers/mamba2_torch.py).")
    Path peerScript;

    @Option(
            names = "--peer-scans",
            split = ",",
            description =
                    "The peer's scans to time: chunk, assoc, seq (default: ${DEFAULT-VALUE}, its"
                            + " fastest; seq takes about 40 s per call at N = 256); the Mamba-2"
                            + " peer has only chunk.")
    List<String> peerScans = List.of("chunk");

    @Option(
            names = "--python",
            description = "Python with torch (default: ${DEFAULT-VALUE}, Debian's python3-torch).")
    String python = "/usr/bin/python3";

    private static volatile float sink;

    /**
     * Runs the comparison.
     *
     * @param args the command line, see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new LayerComparison()).execute(args));
    }

    /**
     * The state sizes to compare: the positional ones if given, else {@code --state-sizes}, else
     * the layer's defaults.
     *
     * @return the state sizes
     */
    List<Integer> sizes() {
        if (positionalSizes != null) {
            return positionalSizes;
        }
        return stateSizes != null ? stateSizes : layer().defaultStateSizes();
    }

    /**
     * The compared layer, from {@code --ssm}.
     *
     * @return the layer
     * @throws IllegalArgumentException if {@code --ssm} names none
     */
    ComparedLayer layer() {
        return ComparedLayer.of(ssm);
    }

    /**
     * The peer script: {@code --peer}, else the layer's default.
     *
     * @return its path
     */
    Path peer() {
        return peerScript != null ? peerScript : layer().defaultPeerScript();
    }

    /**
     * Runs the comparison.
     *
     * @return 0
     * @throws IOException if the peer fails or the JSON file cannot be written
     * @throws InterruptedException if interrupted while waiting for the peer to quit
     */
    @Override
    public Integer call() throws IOException, InterruptedException {
        ComparedLayer layer = layer();
        List<Integer> sizes = sizes();
        validate(layer, sizes);
        int peerChunk = layer.peerChunkLength(chunkLength);
        TimedRounds rounds = new TimedRounds(timing.warmups(), timing.runs(), shape.runsPerRound);
        boolean smoke = timing.warnIfSmokeRun();
        timing.applyThreads();
        Engine engine = Engine.getInstance();
        Threads djlThreads = new Threads(JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
        String start = now();
        String loadBefore = loadAverage();
        List<Series> series = new ArrayList<>();
        PeerRuntime peerRuntime;
        try (PeerProcess peer =
                new PeerProcess(python, peer(), timing.threads(), peerScans, layer.option())) {
            peerRuntime = peer.runtime();
            System.err.printf(
                    Locale.ROOT,
                    "Threads: DJL PyTorch %s intra-op %d / inter-op %d; peer PyTorch %s intra-op"
                            + " %d / inter-op %d%n%s%n",
                    engine.getVersion(),
                    djlThreads.intraOp(),
                    djlThreads.interOp(),
                    peerRuntime.torchVersion(),
                    peerRuntime.threads().intraOp(),
                    peerRuntime.threads().interOp(),
                    ComparisonTables.peerRuntime(peerRuntime));
            for (int n : sizes) {
                series.addAll(measure(layer, n, peer, rounds));
            }
        }
        Protocol protocol =
                new Protocol(
                        timing.warmups(),
                        timing.runs(),
                        shape.runsPerRound,
                        shape.batch,
                        shape.length,
                        shape.features,
                        chunkLength,
                        sizes,
                        peerScans,
                        peer().toString(),
                        "per state size: warm-ups of every measurement, then rounds; in each"
                                + " round every measurement runs min(runs-per-round, runs left)"
                                + " timed calls, peer then Java for each pass",
                        layer.option(),
                        layer.className(),
                        peerChunk,
                        layer.projections(),
                        layer.differences());
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("java", System.getProperty("java.version"));
        versions.put("djl", Engine.getDjlVersion());
        versions.put("djlPytorch", engine.getVersion());
        versions.put("peerTorch", peerRuntime.torchVersion());
        Map<String, String> load = new LinkedHashMap<>();
        load.put("before", loadBefore);
        load.put("after", loadAverage());
        ProjectionCheck.Validity validity =
                ProjectionCheck.judge(sizes, series, ProjectionCheck.MAX_PEER_RATIO);
        List<Ratio> ratios =
                ComparisonRecords.reportable(
                        ComparisonRecords.ratios(layer.label(), sizes, peerScans, series),
                        validity.valid());
        Report bare =
                new Report(
                        ComparisonRecords.FORMAT_VERSION,
                        start,
                        now(),
                        smoke,
                        validity.valid(),
                        validity,
                        protocol,
                        Map.of(
                                ComparisonRecords.DJL,
                                djlThreads,
                                ComparisonRecords.PEER,
                                peerRuntime.threads()),
                        peerRuntime,
                        versions,
                        Runtime.getRuntime().availableProcessors(),
                        load,
                        series,
                        ratios,
                        null);
        Report report = bare.withMarkdown(ComparisonTables.markdown(bare));
        Path out = timing.json() != null ? timing.json() : defaultJsonPath(layer.jsonName());
        ComparisonRecords.write(report, out);
        System.out.println(report.markdown());
        if (!validity.valid()) {
            System.err.println(ComparisonTables.validity(validity));
        }
        System.err.println("Wrote " + out);
        return 0;
    }

    private void validate(ComparedLayer layer, List<Integer> sizes) {
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n <= 0)) {
            throw new IllegalArgumentException("state sizes must be positive: " + sizes);
        }
        timing.validate();
        for (String scan : peerScans) {
            if (!layer.peerScans().contains(scan)) {
                throw new IllegalArgumentException(
                        "unknown peer scan: " + scan + " (the peer has " + layer.peerScans() + ")");
            }
        }
        int peerChunk = layer.peerChunkLength(chunkLength);
        if (chunkLength < 0) {
            throw new IllegalArgumentException("--chunk-length must be >= 0: " + chunkLength);
        }
        if (peerScans.contains("chunk") && shape.length % peerChunk != 0) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "the peer's chunk scan (chunks of %d steps) needs --length divisible"
                                    + " by %d",
                            peerChunk,
                            peerChunk));
        }
        if (!Files.isRegularFile(peer())) {
            throw new IllegalArgumentException(
                    "peer script not found: "
                            + peer()
                            + " (pass --peer PATH/"
                            + layer.defaultPeerScript().getFileName()
                            + ")");
        }
    }

    private List<Series> measure(ComparedLayer layer, int n, PeerProcess peer, TimedRounds rounds)
            throws IOException {
        try (LayerFixture fixture =
                layer.fixture(n, shape.batch, shape.length, shape.features, chunkLength)) {
            int peerChunk = layer.peerChunkLength(chunkLength);
            ComparedLayer.requireSameSizes(
                    peer.setUp(n, shape.batch, shape.length, shape.features, 0, peerChunk),
                    layer.peerSizes(fixture, peerChunk));
            List<Measurement> order = new ArrayList<>();
            for (String pass : ComparisonRecords.PASSES) {
                boolean backward = ComparisonRecords.FORWARD_BACKWARD.equals(pass);
                String kind = backward ? "fb" : "f";
                for (String scan : peerScans) {
                    order.add(
                            new Measurement(
                                    ComparisonRecords.PEER,
                                    ComparisonRecords.peerLayer(scan),
                                    pass,
                                    count -> peer.run("layer_" + kind, scan, count)));
                }
                order.add(
                        new Measurement(
                                ComparisonRecords.DJL,
                                ComparisonRecords.LAYER,
                                pass,
                                java(backward ? fixture::forwardBackward : fixture::forward)));
            }
            for (String pass : ComparisonRecords.PASSES) {
                boolean backward = ComparisonRecords.FORWARD_BACKWARD.equals(pass);
                String kind = backward ? "fb" : "f";
                order.add(
                        new Measurement(
                                ComparisonRecords.PEER,
                                ComparisonRecords.PROJECTIONS,
                                pass,
                                count -> peer.run("proj_" + kind, "-", count)));
                order.add(
                        new Measurement(
                                ComparisonRecords.DJL,
                                ComparisonRecords.PROJECTIONS,
                                pass,
                                java(
                                        backward
                                                ? fixture::projectionsForwardBackward
                                                : fixture::projectionsForward)));
            }
            Map<Measurement, List<Double>> times =
                    rounds.run(order, (phase, m, t) -> log(n, phase, m, t));
            return Series.of(n, times);
        }
    }

    /**
     * A timer of a Java call: each call timed on its own with {@code System.nanoTime}.
     *
     * @param call the call
     * @return the timer
     */
    static TimedRounds.Timer java(CallSupplier call) {
        return count -> {
            double[] times = new double[count];
            float acc = 0;
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                acc += call.call();
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
            sink = acc;
            return times;
        };
    }

    /** A timed Java call, returning a value that depends on its result. */
    @FunctionalInterface
    interface CallSupplier {
        /**
         * Makes the call.
         *
         * @return a value of the result, kept so that the call cannot be optimised away
         */
        float call();
    }

    private static void log(int n, String phase, Measurement m, double[] times) {
        StringBuilder sb = new StringBuilder();
        for (double t : times) {
            sb.append(' ').append(ComparisonTables.format(t));
        }
        System.err.printf(
                Locale.ROOT,
                "N=%d %s: %s %s %s:%s ms%n",
                n,
                phase,
                m.side(),
                m.subject(),
                m.pass(),
                sb);
    }

    /**
     * The current time in UTC, to the second.
     *
     * @return the ISO-8601 instant
     */
    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * The default JSON file of a run: {@code benchmark-results/<name>-<UTC date and time>.json}.
     *
     * @param name the benchmark's name
     * @return the path
     */
    static Path defaultJsonPath(String name) {
        String stamp =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'", Locale.ROOT)
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now());
        return Path.of("benchmark-results", name + "-" + stamp + ".json");
    }

    /**
     * The load averages over 1, 5 and 15 minutes.
     *
     * @return them as {@code /proc/loadavg} states them, or "unknown"
     */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(f, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
