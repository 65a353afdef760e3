package io.github.compressm.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Times the {@link LruLayerBenchmark} and the PyTorch-in-Python peer ({@code lru_torch.py}) one
 * after the other in one run, and prints a Markdown table of medians and ratios.
 *
 * <p>Usage: {@code LayerComparison PEER_SCRIPT [STATE_SIZES]}, e.g. {@code LayerComparison
 * ../shared/peers/lru_torch.py 32,256}. The peer needs Debian's {@code python3-torch}.
 */
public final class LayerComparison {

    private static final Pattern PEER_LINE =
            Pattern.compile("(\\w+) B=(\\d+) L=(\\d+) H=(\\d+) N=(\\d+) median_ms=([0-9.]+)");

    /** Debian's Python, where {@code python3-torch} installs; override with -Dpeer.python. */
    private static final String PYTHON = System.getProperty("peer.python", "/usr/bin/python3");

    private LayerComparison() {}

    /**
     * Runs the comparison.
     *
     * @param args the peer script path and optionally comma-separated state sizes
     * @throws IOException if the peer cannot be run
     * @throws InterruptedException if interrupted while waiting for the peer
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args)
            throws IOException, InterruptedException, RunnerException {
        if (args.length < 1) {
            throw new IllegalArgumentException(
                    "usage: LayerComparison PEER_SCRIPT [STATE_SIZES], e.g."
                            + " ../shared/peers/lru_torch.py 32,256");
        }
        Path peer = Paths.get(args[0]);
        if (!Files.isRegularFile(peer)) {
            throw new IllegalArgumentException(
                    "peer script not found: " + peer + " (pass the path to lru_torch.py)");
        }
        String[] sizes = (args.length > 1 ? args[1] : "32,256").split(",");
        Map<String, Double> peerMs = runPeer(peer);
        Options options =
                new OptionsBuilder()
                        .include(
                                LruLayerBenchmark.class.getSimpleName()
                                        + ".(forwardBackward|projectionsForwardBackward)")
                        .param("stateSize", sizes)
                        .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> javaMs = new LinkedHashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            String n = r.getParams().getParam("stateSize");
            javaMs.put(method + "/" + n, r.getPrimaryResult().getScore());
        }
        System.out.println(table(sizes, javaMs, peerMs));
    }

    private static String table(
            String[] sizes, Map<String, Double> javaMs, Map<String, Double> peerMs) {
        StringBuilder sb = new StringBuilder();
        sb.append("| N | LRU fwd+bwd (ms) | projections only (ms) | layer / projections |")
                .append(" peer seq (ms) | peer assoc (ms) | peer chunk (ms) | best peer / LRU |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (String n : sizes) {
            double lru = javaMs.getOrDefault("forwardBackward/" + n, Double.NaN);
            double proj = javaMs.getOrDefault("projectionsForwardBackward/" + n, Double.NaN);
            double seq = peerMs.getOrDefault("seq/" + n, Double.NaN);
            double assoc = peerMs.getOrDefault("assoc/" + n, Double.NaN);
            double chunk = peerMs.getOrDefault("chunk/" + n, Double.NaN);
            double best = Math.min(seq, Math.min(assoc, chunk));
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.1f | %.1fx |%n",
                            n,
                            lru,
                            proj,
                            lru / proj,
                            seq,
                            assoc,
                            chunk,
                            best / lru));
        }
        return sb.toString();
    }

    private static Map<String, Double> runPeer(Path peer) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, peer.toString(), "2"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, Double> times = new LinkedHashMap<>();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println("peer: " + line);
                Matcher m = PEER_LINE.matcher(line);
                if (m.find()) {
                    times.put(m.group(1) + "/" + m.group(5), Double.parseDouble(m.group(6)));
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException(
                    "the peer exited with " + exit + "; is Debian's python3-torch installed?");
        }
        return times;
    }
}
