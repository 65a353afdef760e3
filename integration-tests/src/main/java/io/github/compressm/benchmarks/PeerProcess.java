package io.github.compressm.benchmarks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.compressm.benchmarks.ComparisonRecords.PeerRuntime;
import io.github.compressm.benchmarks.ComparisonRecords.Threads;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch-in-Python peer's driver process ({@code peer_driver.py}, which imports the peer
 * script unchanged, {@code lru_torch.py} or {@code mamba2_torch.py}): one command per line on its
 * stdin, one answer per line on its stdout, its stderr passed through.
 */
final class PeerProcess implements AutoCloseable {

    private static final String DRIVER = "peer_driver.py";

    private final Process process;
    private final BufferedReader out;
    private final BufferedWriter in;
    private final Path driver;
    private final PeerRuntime runtime;

    /**
     * Starts the driver and waits until the peer is ready.
     *
     * @param python the Python interpreter with torch
     * @param peerScript the peer script ({@code lru_torch.py} or {@code mamba2_torch.py})
     * @param threads torch intra-op threads and, unless the environment sets them, OpenBLAS threads
     *     ({@code OPENBLAS_NUM_THREADS}); 0 for the libraries' defaults
     * @param scans the peer's scans that will be timed
     * @param model the peer's layer: {@code lru} or {@code mamba2}
     * @throws IOException if the driver cannot start or stops before it is ready
     */
    PeerProcess(String python, Path peerScript, int threads, List<String> scans, String model)
            throws IOException {
        driver = Files.createTempFile("peer_driver", ".py");
        try (InputStream source = PeerProcess.class.getResourceAsStream(DRIVER)) {
            if (source == null) {
                throw new IOException("resource " + DRIVER + " missing from the classpath");
            }
            Files.copy(source, driver, StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder builder =
                new ProcessBuilder(command(python, driver, peerScript, threads, scans, model))
                        .redirectError(ProcessBuilder.Redirect.INHERIT);
        pinBlasThreads(builder.environment(), threads);
        Map<String, String> environment = NativeLibraries.threadEnvironment(builder.environment());
        process = builder.start();
        out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in =
                new BufferedWriter(
                        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        try {
            runtime = readRuntime(python, environment);
        } catch (IOException | RuntimeException e) {
            process.destroy();
            Files.deleteIfExists(driver);
            throw e;
        }
    }

    /**
     * The driver's command line.
     *
     * @param python the Python interpreter
     * @param driver the driver script
     * @param peerScript the peer script
     * @param threads torch intra-op threads, 0 for the default
     * @param scans the peer's scans
     * @param model the peer's layer
     * @return the command
     */
    static List<String> command(
            String python,
            Path driver,
            Path peerScript,
            int threads,
            List<String> scans,
            String model) {
        return List.of(
                python,
                driver.toString(),
                peerScript.toString(),
                Integer.toString(threads),
                String.join(",", scans),
                model);
    }

    /** Waits for the driver's "ready", asks for its BLAS's report and reads its mapped files. */
    private PeerRuntime readRuntime(String python, Map<String, String> environment)
            throws IOException {
        Map<String, String> ready = fields(answer("ready"));
        send("info");
        JsonObject info = JsonParser.parseString(answer("info")).getAsJsonObject();
        JsonElement blasThreads = nullable(info.get("blas_threads"));
        JsonElement blasConfig = nullable(info.get("blas_config"));
        List<String> mapped = NativeLibraries.ofProcess(process.pid());
        List<String> blas = NativeLibraries.blas(mapped);
        return new PeerRuntime(
                python,
                ready.getOrDefault("torch", "unknown"),
                new Threads(
                        Integer.parseInt(ready.getOrDefault("threads", "-1")),
                        Integer.parseInt(ready.getOrDefault("interop", "-1"))),
                NativeLibraries.implementation(blas),
                blas,
                NativeLibraries.openMp(mapped),
                blasThreads == null ? null : blasThreads.getAsInt(),
                blasConfig == null ? null : blasConfig.getAsString(),
                environment);
    }

    /**
     * The peer's PyTorch, threads, BLAS and thread environment.
     *
     * @return the runtime, read when the peer became ready
     */
    PeerRuntime runtime() {
        return runtime;
    }

    /**
     * Builds the peer's layer and inputs for one configuration.
     *
     * @param n the state size
     * @param batch sequences per batch
     * @param length steps per sequence
     * @param features features
     * @param seed the input's seed (and the Mamba-2 peer's parameters')
     * @param chunkLength the peer's chunk length (the LRU peer's is fixed and ignores it)
     * @return the sizes of the peer's layer that it answered, key by key (none for the LRU)
     * @throws IOException if the driver fails
     */
    Map<String, String> setUp(int n, int batch, int length, int features, int seed, int chunkLength)
            throws IOException {
        send(
                String.format(
                        Locale.ROOT,
                        "setup %d %d %d %d %d %d",
                        n,
                        batch,
                        length,
                        features,
                        seed,
                        chunkLength));
        return fields(answer("ok"));
    }

    /**
     * Times calls in the peer.
     *
     * @param kind {@code layer_fb}, {@code layer_f}, {@code proj_fb} or {@code proj_f}
     * @param scan the peer's scan, ignored by the projections
     * @param count the number of calls
     * @return each call's time in milliseconds
     * @throws IOException if the driver fails
     */
    double[] run(String kind, String scan, int count) throws IOException {
        send(String.format(Locale.ROOT, "run %s %s %d", kind, scan, count));
        String[] words = answer("ms").trim().split("\\s+");
        if (words.length != count) {
            throw new IOException(
                    "the peer driver answered " + words.length + " times for " + count);
        }
        return Arrays.stream(words).mapToDouble(Double::parseDouble).toArray();
    }

    /**
     * Gives OpenBLAS the same thread count as PyTorch: Debian's torch calls the BLAS without
     * setting its threads, and OpenBLAS otherwise starts one per processor.
     *
     * @param environment the peer's environment, changed in place
     * @param threads the thread count, 0 to leave OpenBLAS's default
     */
    static void pinBlasThreads(Map<String, String> environment, int threads) {
        if (threads > 0) {
            environment.putIfAbsent("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        }
    }

    /**
     * The {@code key=value} words of a line.
     *
     * @param line words separated by white space
     * @return the values by key, in the line's order; words without {@code =} are skipped
     */
    static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : line.trim().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                fields.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return fields;
    }

    private static JsonElement nullable(JsonElement e) {
        return e == null || e.isJsonNull() ? null : e;
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

    /** Asks the driver to quit, waits for it and deletes the driver's copy. */
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
