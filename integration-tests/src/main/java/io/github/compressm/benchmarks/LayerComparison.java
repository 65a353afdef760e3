package io.github.compressm.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.GsonBuilder;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Times one {@link io.github.compressm.ssm.Lru} layer (through {@link LruLayerFixture}, the setup
 * of {@link LruLayerBenchmark}) and the PyTorch-in-Python peer ({@code lru_torch.py}) with one
 * protocol, and prints Markdown tables and writes a JSON file of the result.
 *
 * <p>Protocol: the peer runs in one long-lived Python process (a driver that imports the peer
 * script and calls its layer; the peer script itself is not changed), the Java side in this JVM.
 * For every state size, every measurement (the layer's forward + backward of {@code mean(y^2)}, its
 * forward pass alone without gradient recording, and the same two for the layer's input and output
 * projections alone, on each side) first gets the same number of warm-up calls, then the same
 * number of timed calls, split into rounds: each round runs a few timed calls of every measurement,
 * peer and Java alternating, so that drift on a shared machine hits both sides alike. Every call is
 * timed on its own inside its process ({@code System.nanoTime} here, {@code time.perf_counter} in
 * the peer); the minimum and the median of each side are reported, with the ratios of the minima
 * and of the medians. Both processes run with the same number of PyTorch intra-op threads, which is
 * set explicitly and read back from each engine.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "The LRU layer against the PyTorch-in-Python peer: warm-ups, then timed calls in"
                        + " rounds alternating the two sides; minimum and median per side.")
public final class LayerComparison implements Callable<Integer> {

    /** Fewest warm-ups and timed calls for a result; fewer only make a smoke run. */
    static final int MIN_WARMUPS = 3;

    static final int MIN_RUNS = 9;

    private static final String DRIVER = "lru_peer_driver.py";

    /** The two passes, the two sides and the floor's name, as written to the JSON file. */
    static final String FORWARD_BACKWARD = "forward+backward";

    static final String FORWARD = "forward";
    static final String PEER = "peer";
    static final String DJL = "djl";
    static final String PROJECTIONS = "projections";

    @Parameters(
            index = "0",
            arity = "0..1",
            split = ",",
            paramLabel = "N",
            description = "State sizes (the same as --state-sizes).")
    List<Integer> positionalSizes;

    @Option(
            names = "--state-sizes",
            split = ",",
            description = "State sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> stateSizes = List.of(16, 32, 64, 256);

    @Option(
            names = "--warmups",
            description =
                    "Untimed calls per side and measurement before the first round (default:"
                            + " ${DEFAULT-VALUE}; fewer than 3 is a smoke run).")
    int warmups = MIN_WARMUPS;

    @Option(
            names = "--runs",
            description =
                    "Timed calls per side and measurement (default: ${DEFAULT-VALUE}; fewer than"
                            + " 9 is a smoke run).")
    int runs = MIN_RUNS;

    @Option(
            names = "--runs-per-round",
            description =
                    "Timed calls of one measurement before switching to the next (default:"
                            + " ${DEFAULT-VALUE}).")
    int runsPerRound = 3;

    @Option(names = "--batch", description = "Sequences per batch (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--length", description = "Steps per sequence (default: ${DEFAULT-VALUE}).")
    int length = 784;

    @Option(names = "--features", description = "Features (default: ${DEFAULT-VALUE}).")
    int features = 64;

    @Option(
            names = "--chunk-length",
            description = "The LRU's chunk length, 0 for automatic (default: ${DEFAULT-VALUE}).")
    int chunkLength = 0;

    @Option(
            names = "--threads",
            description =
                    "PyTorch intra-op threads on both sides, 0 to leave each engine's default"
                            + " (default: the number of processors, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--peer", description = "The peer script (default: ${DEFAULT-VALUE}).")
    Path peerScript = Path.of("../shared/peers/lru_torch.py");

    @Option(
            names = "--peer-scans",
            split = ",",
            description =
                    "The peer's scans to time: chunk, assoc, seq (default: ${DEFAULT-VALUE}, its"
                            + " fastest; seq takes about 40 s per call at N = 256).")
    List<String> peerScans = List.of("chunk");

    @Option(
            names = "--python",
            description = "Python with torch (default: ${DEFAULT-VALUE}, Debian's python3-torch).")
    String python = "/usr/bin/python3";

    @Option(
            names = "--json",
            description =
                    "Where to write the result (default: benchmark-results/compare-DATE.json).")
    Path json;

    private static volatile float sink;

    /**
     * Runs the comparison.
     *
     * @param args the command line, see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new LayerComparison()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<Integer> sizes = positionalSizes != null ? positionalSizes : stateSizes;
        validate(sizes);
        boolean smoke = warmups < MIN_WARMUPS || runs < MIN_RUNS;
        if (smoke) {
            System.err.printf(
                    Locale.ROOT,
                    "WARNING: %d warm-ups and %d runs are below the protocol's minimum (%d and %d):"
                            + " a smoke run, not a result.%n",
                    warmups,
                    runs,
                    MIN_WARMUPS,
                    MIN_RUNS);
        }
        if (threads > 0) {
            // Read by DJL's PyTorch engine when it starts (PtEngine), i.e. below.
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        Engine engine = Engine.getInstance();
        Threads djlThreads = new Threads(JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
        String start = now();
        String loadBefore = loadAverage();
        List<Series> series = new ArrayList<>();
        Threads peerThreads;
        String peerTorch;
        try (Peer peer = new Peer(python, peerScript, threads, peerScans)) {
            peerThreads = peer.threads;
            peerTorch = peer.torchVersion;
            System.err.printf(
                    Locale.ROOT,
                    "Threads: DJL PyTorch %s intra-op %d / inter-op %d; peer PyTorch %s intra-op"
                            + " %d / inter-op %d%n",
                    engine.getVersion(),
                    djlThreads.intraOp(),
                    djlThreads.interOp(),
                    peerTorch,
                    peerThreads.intraOp(),
                    peerThreads.interOp());
            for (int n : sizes) {
                series.addAll(measure(n, peer));
            }
        }
        Protocol protocol =
                new Protocol(
                        warmups,
                        runs,
                        runsPerRound,
                        batch,
                        length,
                        features,
                        chunkLength,
                        sizes,
                        peerScans,
                        peerScript.toString(),
                        "per state size: warm-ups of every measurement, then rounds; in each"
                                + " round every measurement runs min(runs-per-round, runs left)"
                                + " timed calls, peer then Java for each pass");
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("java", System.getProperty("java.version"));
        versions.put("djl", Engine.getDjlVersion());
        versions.put("djlPytorch", engine.getVersion());
        versions.put("peerTorch", peerTorch);
        Map<String, String> load = new LinkedHashMap<>();
        load.put("before", loadBefore);
        load.put("after", loadAverage());
        List<Ratio> ratios = ratios(sizes, series);
        String markdown =
                markdown(smoke, protocol, djlThreads, peerThreads, versions, load, series);
        Report report =
                new Report(
                        start,
                        now(),
                        smoke,
                        protocol,
                        Map.of("djl", djlThreads, "peer", peerThreads),
                        versions,
                        Runtime.getRuntime().availableProcessors(),
                        load,
                        series,
                        ratios,
                        markdown);
        Path out = json != null ? json : defaultJsonPath();
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(
                out,
                new GsonBuilder()
                                .setPrettyPrinting()
                                .serializeSpecialFloatingPointValues()
                                .create()
                                .toJson(report)
                        + "\n",
                StandardCharsets.UTF_8);
        System.out.println(markdown);
        System.err.println("Wrote " + out);
        return 0;
    }

    private void validate(List<Integer> sizes) {
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n <= 0)) {
            throw new IllegalArgumentException("state sizes must be positive: " + sizes);
        }
        if (warmups < 0 || runs < 1 || runsPerRound < 1) {
            throw new IllegalArgumentException(
                    "need --warmups >= 0, --runs >= 1 and --runs-per-round >= 1");
        }
        for (String scan : peerScans) {
            if (!List.of("seq", "assoc", "chunk").contains(scan)) {
                throw new IllegalArgumentException("unknown peer scan: " + scan);
            }
        }
        if (peerScans.contains("chunk") && length % 28 != 0) {
            throw new IllegalArgumentException(
                    "the peer's chunk scan (chunks of 28 steps) needs --length divisible by 28");
        }
        if (!Files.isRegularFile(peerScript)) {
            throw new IllegalArgumentException(
                    "peer script not found: " + peerScript + " (pass --peer PATH/lru_torch.py)");
        }
    }

    /** One timed measurement: a side, what it runs and how. */
    private record Measurement(String side, String subject, String pass, Timer timer) {}

    @FunctionalInterface
    private interface Timer {
        double[] time(int count) throws IOException;
    }

    private List<Series> measure(int n, Peer peer) throws IOException {
        try (LruLayerFixture fixture =
                new LruLayerFixture(n, batch, length, features, chunkLength)) {
            peer.setUp(n, batch, length, features, 0);
            List<Measurement> order = new ArrayList<>();
            for (String pass : List.of(FORWARD_BACKWARD, FORWARD)) {
                String kind = FORWARD_BACKWARD.equals(pass) ? "fb" : "f";
                for (String scan : peerScans) {
                    order.add(
                            new Measurement(
                                    PEER,
                                    "layer, " + scan + " scan",
                                    pass,
                                    count -> peer.run("layer_" + kind, scan, count)));
                }
                order.add(
                        new Measurement(
                                DJL,
                                "layer",
                                pass,
                                java(
                                        FORWARD_BACKWARD.equals(pass)
                                                ? fixture::forwardBackward
                                                : fixture::forward)));
            }
            for (String pass : List.of(FORWARD_BACKWARD, FORWARD)) {
                String kind = FORWARD_BACKWARD.equals(pass) ? "fb" : "f";
                order.add(
                        new Measurement(
                                PEER,
                                PROJECTIONS,
                                pass,
                                count -> peer.run("proj_" + kind, "-", count)));
                order.add(
                        new Measurement(
                                DJL,
                                PROJECTIONS,
                                pass,
                                java(
                                        FORWARD_BACKWARD.equals(pass)
                                                ? fixture::projectionsForwardBackward
                                                : fixture::projectionsForward)));
            }
            if (warmups > 0) {
                for (Measurement m : order) {
                    log(n, "warm-up", m, m.timer().time(warmups));
                }
            }
            Map<Measurement, List<Double>> times = new LinkedHashMap<>();
            int rounds = (runs + runsPerRound - 1) / runsPerRound;
            for (int round = 0; round < rounds; round++) {
                int count = Math.min(runsPerRound, runs - round * runsPerRound);
                for (Measurement m : order) {
                    double[] t = m.timer().time(count);
                    log(n, "round " + (round + 1) + "/" + rounds, m, t);
                    List<Double> list = times.computeIfAbsent(m, k -> new ArrayList<>());
                    for (double v : t) {
                        list.add(v);
                    }
                }
            }
            List<Series> result = new ArrayList<>();
            for (Map.Entry<Measurement, List<Double>> e : times.entrySet()) {
                Measurement m = e.getKey();
                List<Double> t = e.getValue();
                result.add(new Series(n, m.pass(), m.side(), m.subject(), t, min(t), median(t)));
            }
            return result;
        }
    }

    private static Timer java(CallSupplier call) {
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

    @FunctionalInterface
    private interface CallSupplier {
        float call();
    }

    private static void log(int n, String phase, Measurement m, double[] times) {
        StringBuilder sb = new StringBuilder();
        for (double t : times) {
            sb.append(' ').append(format(t));
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

    private List<Ratio> ratios(List<Integer> sizes, List<Series> series) {
        List<Ratio> ratios = new ArrayList<>();
        for (int n : sizes) {
            for (String pass : List.of(FORWARD_BACKWARD, FORWARD)) {
                Series lru = find(series, n, pass, DJL, "layer");
                Series proj = find(series, n, pass, DJL, PROJECTIONS);
                Series peerProj = find(series, n, pass, PEER, PROJECTIONS);
                for (String scan : peerScans) {
                    Series peer = find(series, n, pass, PEER, "layer, " + scan + " scan");
                    ratios.add(ratio(n, pass, "peer " + scan + " / LRU", peer, lru));
                    ratios.add(
                            ratio(n, pass, "peer " + scan + " / peer projections", peer, peerProj));
                }
                ratios.add(ratio(n, pass, "LRU / projections", lru, proj));
                ratios.add(ratio(n, pass, "peer projections / projections", peerProj, proj));
            }
        }
        return ratios;
    }

    private static Ratio ratio(int n, String pass, String name, Series a, Series b) {
        return new Ratio(n, pass, name, a.minMs() / b.minMs(), a.medianMs() / b.medianMs());
    }

    private static Series find(
            List<Series> series, int n, String pass, String side, String subject) {
        return series.stream()
                .filter(
                        s ->
                                s.stateSize() == n
                                        && s.pass().equals(pass)
                                        && s.side().equals(side)
                                        && s.subject().equals(subject))
                .findFirst()
                .orElseThrow();
    }

    private String markdown(
            boolean smoke,
            Protocol protocol,
            Threads djlThreads,
            Threads peerThreads,
            Map<String, String> versions,
            Map<String, String> load,
            List<Series> series) {
        StringBuilder sb = new StringBuilder();
        if (smoke) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "**Smoke run, not a result: %d warm-up call(s) and %d timed call(s),"
                                    + " below the protocol's %d and %d.**%n%n",
                            warmups,
                            runs,
                            MIN_WARMUPS,
                            MIN_RUNS));
        }
        int rounds = (runs + runsPerRound - 1) / runsPerRound;
        sb.append(
                String.format(
                        Locale.ROOT,
                        "`Lru` (DJL %s, PyTorch %s, %d intra-op / %d inter-op threads) against the"
                                + " peer `%s` (PyTorch %s, %d intra-op / %d inter-op threads);"
                                + " B = %d, L = %d, H = %d; per side and measurement %d"
                                + " warm-up call(s), then %d timed call(s) in %d round(s) of up to"
                                + " %d, the sides alternating (peer, Java) in every round; ms per"
                                + " call; %d processors, load average %s before, %s after.%n%n",
                        versions.get("djl"),
                        versions.get("djlPytorch"),
                        djlThreads.intraOp(),
                        djlThreads.interOp(),
                        protocol.peerScript(),
                        versions.get("peerTorch"),
                        peerThreads.intraOp(),
                        peerThreads.interOp(),
                        batch,
                        length,
                        features,
                        warmups,
                        runs,
                        rounds,
                        runsPerRound,
                        Runtime.getRuntime().availableProcessors(),
                        load.get("before"),
                        load.get("after")));
        sb.append(
                "| N | pass | LRU min | LRU median | peer scan | peer min | peer median |"
                        + " peer / LRU (minima) | peer / LRU (medians) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (int n : protocol.stateSizes()) {
            for (String pass : List.of(FORWARD_BACKWARD, FORWARD)) {
                Series lru = find(series, n, pass, DJL, "layer");
                for (String scan : peerScans) {
                    Series peer = find(series, n, pass, PEER, "layer, " + scan + " scan");
                    sb.append(
                            String.format(
                                    Locale.ROOT,
                                    "| %d | %s | %s | %s | %s | %s | %s | %.2fx | %.2fx |%n",
                                    n,
                                    pass,
                                    format(lru.minMs()),
                                    format(lru.medianMs()),
                                    scan,
                                    format(peer.minMs()),
                                    format(peer.medianMs()),
                                    peer.minMs() / lru.minMs(),
                                    peer.medianMs() / lru.medianMs()));
                }
            }
        }
        sb.append(
                "\nThe layer against its own two projections (`x W_in W_out`, the same products"
                        + " timed in the peer's PyTorch as a check of the two engines):\n\n");
        sb.append(
                "| N | pass | LRU min | LRU median | projections min | projections median |"
                        + " layer / projections (minima) | layer / projections (medians) |"
                        + " peer's projections min | peer's projections median |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (int n : protocol.stateSizes()) {
            for (String pass : List.of(FORWARD_BACKWARD, FORWARD)) {
                Series lru = find(series, n, pass, DJL, "layer");
                Series proj = find(series, n, pass, DJL, PROJECTIONS);
                Series peerProj = find(series, n, pass, PEER, PROJECTIONS);
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %d | %s | %s | %s | %s | %s | %.2f | %.2f | %s | %s |%n",
                                n,
                                pass,
                                format(lru.minMs()),
                                format(lru.medianMs()),
                                format(proj.minMs()),
                                format(proj.medianMs()),
                                lru.minMs() / proj.minMs(),
                                lru.medianMs() / proj.medianMs(),
                                format(peerProj.minMs()),
                                format(peerProj.medianMs())));
            }
        }
        return sb.toString();
    }

    private static String format(double ms) {
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : "%.1f", ms);
    }

    static double min(List<Double> times) {
        return times.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double median(List<Double> times) {
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Path defaultJsonPath() {
        String stamp =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'", Locale.ROOT)
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now());
        return Path.of("benchmark-results", "compare-" + stamp + ".json");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(f, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** PyTorch thread counts of one side. */
    record Threads(int intraOp, int interOp) {}

    /** The protocol's parameters, as written to the JSON file. */
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
            String order) {}

    /** The timed calls of one side and measurement, in milliseconds. */
    record Series(
            int stateSize,
            String pass,
            String side,
            String subject,
            List<Double> timesMs,
            double minMs,
            double medianMs) {}

    /** A ratio of two series, of their minima and of their medians. */
    record Ratio(int stateSize, String pass, String name, double ofMinima, double ofMedians) {}

    /** The whole result, as written to the JSON file. */
    record Report(
            String started,
            String finished,
            boolean smokeRun,
            Protocol protocol,
            Map<String, Threads> threads,
            Map<String, String> versions,
            int processors,
            Map<String, String> loadAverage,
            List<Series> series,
            List<Ratio> ratios,
            String markdown) {}

    /** The peer's driver process: one command per line on its stdin, one answer per line. */
    private static final class Peer implements AutoCloseable {

        private final Process process;
        private final BufferedReader out;
        private final BufferedWriter in;
        private final Path driver;
        final Threads threads;
        final String torchVersion;

        Peer(String python, Path peerScript, int threads, List<String> scans) throws IOException {
            driver = Files.createTempFile("lru_peer_driver", ".py");
            try (InputStream source = LayerComparison.class.getResourceAsStream(DRIVER)) {
                if (source == null) {
                    throw new IOException("resource " + DRIVER + " missing from the classpath");
                }
                Files.copy(source, driver, StandardCopyOption.REPLACE_EXISTING);
            }
            process =
                    new ProcessBuilder(
                                    python,
                                    driver.toString(),
                                    peerScript.toString(),
                                    Integer.toString(threads),
                                    String.join(",", scans))
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
            out =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8));
            in =
                    new BufferedWriter(
                            new OutputStreamWriter(
                                    process.getOutputStream(), StandardCharsets.UTF_8));
            String ready = answer("ready");
            Map<String, String> fields = new LinkedHashMap<>();
            for (String word : ready.trim().split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq > 0) {
                    fields.put(word.substring(0, eq), word.substring(eq + 1));
                }
            }
            torchVersion = fields.getOrDefault("torch", "unknown");
            this.threads =
                    new Threads(
                            Integer.parseInt(fields.getOrDefault("threads", "-1")),
                            Integer.parseInt(fields.getOrDefault("interop", "-1")));
        }

        void setUp(int n, int batch, int length, int features, int seed) throws IOException {
            send(
                    String.format(
                            Locale.ROOT, "setup %d %d %d %d %d", n, batch, length, features, seed));
            answer("ok");
        }

        double[] run(String kind, String scan, int count) throws IOException {
            send(String.format(Locale.ROOT, "run %s %s %d", kind, scan, count));
            String[] words = answer("ms").trim().split("\\s+");
            if (words.length != count) {
                throw new IOException(
                        "the peer driver answered " + words.length + " times for " + count);
            }
            return Arrays.stream(words).mapToDouble(Double::parseDouble).toArray();
        }

        private void send(String command) throws IOException {
            in.write(command);
            in.newLine();
            in.flush();
        }

        /** The rest of the next line that starts with the word {@code prefix}. */
        private String answer(String prefix) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals(prefix) || line.startsWith(prefix + " ")) {
                    return line.substring(prefix.length());
                }
                System.err.println("peer: " + line);
            }
            throw new IOException(
                    "the peer driver stopped before answering '"
                            + prefix
                            + "'; is Debian's python3-torch installed (apt-get install"
                            + " python3-torch)? See its error above.");
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                if (process.isAlive()) {
                    send("quit");
                }
            } catch (IOException e) {
                // Already gone; nothing to tell it.
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
            }
            Files.deleteIfExists(driver);
        }
    }
}
