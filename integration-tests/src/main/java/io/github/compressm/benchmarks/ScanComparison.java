package io.github.compressm.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.github.compressm.benchmarks.ComparisonRecords.Ratio;
import io.github.compressm.benchmarks.ComparisonRecords.Series;
import io.github.compressm.benchmarks.TimedRounds.Measurement;
import io.github.compressm.ssm.AbstractDiagonalSsm;
import io.github.compressm.ssm.DiagonalScan;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.S5;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Times the two scans of a diagonal layer side by side ({@link DiagonalScan#CHUNKED} and {@link
 * DiagonalScan#FFT}): the whole layer ({@link LayerFixture}, the setup of {@link
 * LruLayerBenchmark}) built once per scan with the same parameters and input, its forward +
 * backward pass of {@code mean(y^2)} and its forward pass alone, at every state size.
 *
 * <p>Protocol, per state size: every measurement gets the same warm-up calls, then the same timed
 * calls in rounds ({@link TimedRounds}), each round running its share of every measurement, the two
 * scans alternating for each pass, so that drift on a shared machine hits both alike; every call is
 * timed on its own. Reported: minimum and median per scan and pass, the ratios FFT / chunked of the
 * minima and of the medians, and the crossover: the largest measured size up to which the FFT
 * scan's forward + backward is faster at every measured size in both minimum and median. Markdown
 * on stdout, JSON with every call's time in a file.
 */
@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "The chunked and the FFT scan of one diagonal layer, alternating in rounds after"
                        + " warm-ups: forward and forward + backward, minimum and median, and the"
                        + " state size up to which the FFT scan is faster. --json defaults to"
                        + " benchmark-results/scan-DATE.json.")
public final class ScanComparison implements Callable<Integer> {

    /** The JSON format's version. */
    static final int FORMAT_VERSION = 1;

    /** The scans timed, in the order every round runs them. */
    static final List<DiagonalScan> SCANS = List.of(DiagonalScan.CHUNKED, DiagonalScan.FFT);

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
    List<Integer> stateSizes = List.of(8, 16, 32, 64, 256);

    @Mixin TimingOptions timing = new TimingOptions();

    @Mixin LayerShapeOptions shape = new LayerShapeOptions();

    @Option(names = "--ssm", description = "The layer: lru or s5 (default: ${DEFAULT-VALUE}).")
    String ssm = "lru";

    /**
     * Runs the comparison.
     *
     * @param args the command line, see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ScanComparison()).execute(args));
    }

    /**
     * Runs the comparison.
     *
     * @return 0
     * @throws IOException if the JSON file cannot be written
     */
    @Override
    public Integer call() throws IOException {
        List<Integer> sizes = positionalSizes != null ? positionalSizes : stateSizes;
        validate(sizes);
        TimedRounds rounds = new TimedRounds(timing.warmups(), timing.runs(), shape.runsPerRound);
        boolean smoke = timing.warnIfSmokeRun();
        timing.applyThreads();
        Engine engine = Engine.getInstance();
        String started = LayerComparison.now();
        String loadBefore = LayerComparison.loadAverage();
        List<Series> series = new ArrayList<>();
        for (int n : sizes) {
            series.addAll(measure(n, rounds));
        }
        List<Ratio> ratios = ratios(sizes, series);
        int fftFasterUpTo = fftFasterUpTo(sizes, series);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("formatVersion", FORMAT_VERSION);
        report.put("started", started);
        report.put("finished", LayerComparison.now());
        report.put("smokeRun", smoke);
        Map<String, Object> protocol = new LinkedHashMap<>();
        protocol.put("ssm", ssm);
        protocol.put("warmups", timing.warmups());
        protocol.put("runs", timing.runs());
        protocol.put("runsPerRound", shape.runsPerRound);
        protocol.put("batch", shape.batch);
        protocol.put("length", shape.length);
        protocol.put("features", shape.features);
        protocol.put("stateSizes", sizes);
        protocol.put(
                "order",
                "per state size: warm-ups of every measurement, then rounds; in each round every"
                        + " measurement runs min(runs-per-round, runs left) timed calls, chunked"
                        + " then FFT for each pass");
        report.put("protocol", protocol);
        Map<String, Integer> threads = new LinkedHashMap<>();
        threads.put("intraOp", JniUtils.getNumThreads());
        threads.put("interOp", JniUtils.getNumInteropThreads());
        report.put("pytorchThreads", threads);
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("java", System.getProperty("java.version"));
        versions.put("djl", Engine.getDjlVersion());
        versions.put("djlPytorch", engine.getVersion());
        report.put("versions", versions);
        report.put("processors", Runtime.getRuntime().availableProcessors());
        Map<String, String> load = new LinkedHashMap<>();
        load.put("before", loadBefore);
        load.put("after", LayerComparison.loadAverage());
        report.put("loadAverage", load);
        report.put("fftFasterUpTo", fftFasterUpTo);
        report.put("series", series);
        report.put("ratios", ratios);
        String markdown =
                markdown(sizes, series, ratios, fftFasterUpTo, JniUtils.getNumThreads(), smoke);
        report.put("markdown", markdown);

        Path out = timing.json() != null ? timing.json() : LayerComparison.defaultJsonPath("scan");
        ComparisonRecords.write(report, out);
        System.out.print(markdown);
        System.err.println("Wrote " + out);
        return 0;
    }

    /**
     * The crossover of a run: the largest of the sizes (in ascending order) up to which the FFT
     * scan's forward + backward has a smaller minimum and a smaller median than the chunked scan's
     * at every size; 0 if it is not faster at the smallest.
     *
     * @param sizes the measured state sizes
     * @param series the timed calls
     * @return the crossover
     */
    static int fftFasterUpTo(List<Integer> sizes, List<Series> series) {
        int threshold = 0;
        for (int n : sizes.stream().sorted().toList()) {
            Series fft = find(series, n, ComparisonRecords.FORWARD_BACKWARD, DiagonalScan.FFT);
            Series chunked =
                    find(series, n, ComparisonRecords.FORWARD_BACKWARD, DiagonalScan.CHUNKED);
            if (fft.minMs() >= chunked.minMs() || fft.medianMs() >= chunked.medianMs()) {
                break;
            }
            threshold = n;
        }
        return threshold;
    }

    /**
     * The ratios FFT / chunked of every state size and pass.
     *
     * @param sizes the measured state sizes
     * @param series the timed calls
     * @return the ratios
     */
    static List<Ratio> ratios(List<Integer> sizes, List<Series> series) {
        List<Ratio> ratios = new ArrayList<>();
        for (int n : sizes) {
            for (String pass : ComparisonRecords.PASSES) {
                ratios.add(
                        Ratio.of(
                                n,
                                pass,
                                "fft/chunked",
                                find(series, n, pass, DiagonalScan.FFT),
                                find(series, n, pass, DiagonalScan.CHUNKED)));
            }
        }
        return ratios;
    }

    /**
     * The Markdown report: the setup, one row per state size and pass, and the crossover.
     *
     * @param sizes the measured state sizes
     * @param series the timed calls
     * @param ratios the ratios of {@link #ratios}
     * @param fftFasterUpTo the crossover of {@link #fftFasterUpTo}
     * @param threads the engine's intra-op threads during the run
     * @param smoke whether the run had fewer calls than the protocol's minimum
     * @return the report
     */
    String markdown(
            List<Integer> sizes,
            List<Series> series,
            List<Ratio> ratios,
            int fftFasterUpTo,
            int threads,
            boolean smoke) {
        StringBuilder sb = new StringBuilder();
        if (smoke) {
            sb.append(
                    "SMOKE RUN: fewer warm-ups or runs than the protocol's 3 and 9, not a result.\n\n");
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Scans of one %s layer, B = %d, L = %d, H = %d; %d warm-ups, %d runs in rounds"
                                + " of %d; %d PyTorch threads%n%n",
                        ssm,
                        shape.batch,
                        shape.length,
                        shape.features,
                        timing.warmups(),
                        timing.runs(),
                        shape.runsPerRound,
                        threads));
        sb.append(
                "| N | pass | chunked min / median (ms) | FFT min / median (ms) |"
                        + " FFT / chunked (minima) | FFT / chunked (medians) |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (int n : sizes) {
            for (String pass : ComparisonRecords.PASSES) {
                Series chunked = find(series, n, pass, DiagonalScan.CHUNKED);
                Series fft = find(series, n, pass, DiagonalScan.FFT);
                Ratio ratio =
                        ratios.stream()
                                .filter(r -> r.stateSize() == n && r.pass().equals(pass))
                                .findFirst()
                                .orElseThrow();
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %d | %s | %s / %s | %s / %s | %.2f | %.2f |%n",
                                n,
                                pass,
                                ComparisonTables.format(chunked.minMs()),
                                ComparisonTables.format(chunked.medianMs()),
                                ComparisonTables.format(fft.minMs()),
                                ComparisonTables.format(fft.medianMs()),
                                ratio.ofMinima(),
                                ratio.ofMedians()));
            }
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%nThe FFT scan's forward + backward is faster in minimum and median at every"
                                + " measured N up to %d%s.%n",
                        fftFasterUpTo,
                        fftFasterUpTo == 0 ? " (0: not at the smallest)" : ""));
        return sb.toString();
    }

    private void validate(List<Integer> sizes) {
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n <= 0)) {
            throw new IllegalArgumentException("state sizes must be positive: " + sizes);
        }
        timing.validate();
        if (shape.batch < 1 || shape.length < 1 || shape.features < 1) {
            throw new IllegalArgumentException(
                    "need --batch, --length and --features >= 1, got "
                            + shape.batch
                            + ", "
                            + shape.length
                            + ", "
                            + shape.features);
        }
        if (!List.of("lru", "s5").contains(ssm)) {
            throw new IllegalArgumentException("--ssm must be lru or s5, got " + ssm);
        }
    }

    private List<Series> measure(int n, TimedRounds rounds) {
        List<LayerFixture> fixtures = new ArrayList<>();
        try {
            List<Measurement> order = new ArrayList<>();
            for (DiagonalScan scan : SCANS) {
                fixtures.add(
                        new LayerFixture(
                                layer(n, scan), n, shape.batch, shape.length, shape.features));
            }
            for (String pass : ComparisonRecords.PASSES) {
                boolean backward = ComparisonRecords.FORWARD_BACKWARD.equals(pass);
                for (int k = 0; k < SCANS.size(); k++) {
                    LayerFixture fixture = fixtures.get(k);
                    order.add(
                            new Measurement(
                                    label(SCANS.get(k)),
                                    ComparisonRecords.LAYER,
                                    pass,
                                    LayerComparison.java(
                                            backward
                                                    ? fixture::forwardBackward
                                                    : fixture::forward)));
                }
            }
            Map<Measurement, List<Double>> times;
            try {
                times = rounds.run(order, (phase, m, t) -> log(n, phase, m, t));
            } catch (IOException e) {
                throw new IllegalStateException("no Java call throws IOException", e);
            }
            return Series.of(n, times);
        } finally {
            fixtures.forEach(LayerFixture::close);
        }
    }

    /** A layer running {@code scan}; both layers of a size get the same parameters (seed 0). */
    private AbstractDiagonalSsm layer(int n, DiagonalScan scan) {
        if ("s5".equals(ssm)) {
            return S5.builder().setStateSize(n).optScan(scan).build();
        }
        return Lru.builder().setStateSize(n).optScan(scan).build();
    }

    /**
     * The name of a scan in the series and the table.
     *
     * @param scan the scan
     * @return its lower-case name
     */
    static String label(DiagonalScan scan) {
        return scan.name().toLowerCase(Locale.ROOT);
    }

    private static Series find(List<Series> series, int n, String pass, DiagonalScan scan) {
        return Series.find(series, n, pass, label(scan), ComparisonRecords.LAYER);
    }

    private static void log(int n, String phase, Measurement m, double[] times) {
        StringBuilder sb = new StringBuilder();
        for (double t : times) {
            sb.append(' ').append(ComparisonTables.format(t));
        }
        System.err.printf(Locale.ROOT, "N=%d %s: %s %s:%s ms%n", n, phase, m.side(), m.pass(), sb);
    }
}
