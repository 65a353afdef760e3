package io.github.compressm.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.GsonBuilder;
import io.github.compressm.examples.training.PeakResidentMemory;
import io.github.compressm.examples.training.SsmFamily;
import io.github.compressm.ssm.SsmModels;
import io.github.compressm.ssm.generation.DjlGenerator;
import io.github.compressm.ssm.generation.JvmGenerator;
import io.github.compressm.ssm.generation.JvmStepModel;
import io.github.compressm.ssm.generation.TokenGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Step-wise generation speed of a character language model at several state sizes, on both
 * generation paths: the first size is the uncompressed model, the others compressed ones of the
 * same architecture.
 *
 * <p>Each model is the examples' sequence-to-sequence {@link SsmModels} model of the {@code --ssm}
 * family's layers (LRU, S5 or Mamba-2, with the family's default settings), generating greedily
 * (the path of the {@code generate} subcommand and the char-LM translator): one pass over a prompt,
 * then one step per character with the states carried, either through the DJL engine ({@link
 * DjlGenerator} on a copy whose SSM layers return their states, path {@code djl}) or on the JVM
 * ({@link JvmStepModel}, path {@code jvm}). The cost of a step depends on the architecture and the
 * state size, not on the parameter values, so the models have random parameters. Protocol: warm-ups
 * of every series (path and size), then timed runs in rounds, every round running every series
 * once, in alternating order (so drift on a shared machine hits all series alike). A run times a
 * prompt-only call (prompt plus one character) and a full call (prompt plus {@code --tokens}
 * characters); the latency per token is {@code (full - prompt only) / (tokens - 1)}. Minimum and
 * median per series, tokens per second, the speed-up of each size over the first on the same path,
 * and the peak resident memory of the process during the series' timed runs (Linux {@code VmHWM},
 * reset before each run; it includes the JVM and every loaded model, so it bounds what a path adds
 * rather than isolating it) are printed as a Markdown table and written as JSON.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Tokens per second and latency per token of step-wise generation on the DJL and the"
                        + " JVM path, the series alternating in rounds after warm-ups; minimum and"
                        + " median per path and size, and peak resident memory.")
public final class GenerationBenchmark implements Callable<Integer> {

    private static final String DJL = "djl";
    private static final String JVM = "jvm";

    @Option(
            names = "--state-sizes",
            split = ",",
            description = "State sizes, the uncompressed one first (default: ${DEFAULT-VALUE}).")
    List<Integer> stateSizes = List.of(256, 64);

    @Option(
            names = "--paths",
            split = ",",
            description = "Generation paths, djl and/or jvm (default: ${DEFAULT-VALUE}).")
    List<String> paths = List.of(DJL, JVM);

    @Option(names = "--ssm", description = "SSM layer: lru, s5 or mamba2 (default: lru).")
    SsmFamily ssm = SsmFamily.LRU;

    @Option(
            names = "--hidden-size",
            description = "Residual layers' features (default: ${DEFAULT-VALUE}).")
    int hiddenSize = 64;

    @Option(names = "--layers", description = "Residual SSM layers (default: ${DEFAULT-VALUE}).")
    int layers = 4;

    @Option(names = "--vocabulary", description = "Characters (default: ${DEFAULT-VALUE}).")
    int vocabulary = 96;

    @Option(
            names = "--prompt-length",
            description = "Prompt characters (default: ${DEFAULT-VALUE}).")
    int promptLength = 32;

    @Option(
            names = "--tokens",
            description = "Characters generated per timed run (default: ${DEFAULT-VALUE}).")
    int tokens = 256;

    @Mixin TimingOptions timing = new TimingOptions();

    @Option(names = "--seed", description = "Seed of parameters and prompt.")
    long seed = 42;

    /**
     * Runs the benchmark from the command line.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        System.exit(
                new CommandLine(new GenerationBenchmark())
                        .setCaseInsensitiveEnumValuesAllowed(true)
                        .execute(args));
    }

    /**
     * Runs the benchmark.
     *
     * @return 0
     * @throws IOException if the JSON file cannot be written
     */
    @Override
    public Integer call() throws IOException {
        if (stateSizes.isEmpty()
                || tokens < 2
                || timing.runs() < 1
                || timing.warmups() < 0
                || promptLength < 1) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "need at least one state size, --tokens >= 2, --runs >= 1, --warmups >= 0 and"
                            + " --prompt-length >= 1");
        }
        if (paths.isEmpty() || !List.of(DJL, JVM).containsAll(paths)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--paths must list djl and/or jvm, got " + paths);
        }
        if (timing.isSmokeRun()) {
            System.err.println("Smoke run: fewer warm-ups or runs than the protocol's 3 and 9");
        }
        timing.applyThreads();
        Engine.getInstance().setRandomSeed((int) seed);
        int[] prompt = new Random(seed).ints(promptLength, 0, vocabulary).toArray();
        List<Series> series = new ArrayList<>();
        PeakResidentMemory memory = new PeakResidentMemory();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String path : paths) {
                for (int n : stateSizes) {
                    series.add(new Series(path, n, generator(path, n, manager), memory));
                }
            }
            for (int w = 0; w < timing.warmups(); w++) {
                for (Series s : series) {
                    s.time(prompt, tokens);
                }
            }
            for (int r = 0; r < timing.runs(); r++) {
                for (int i = 0; i < series.size(); i++) {
                    Series s = series.get(r % 2 == 0 ? i : series.size() - 1 - i);
                    s.record(prompt, tokens);
                }
            }
        }
        Map<String, Object> result = result(series);
        System.out.print(table(series));
        Path json = timing.json();
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(
                    json,
                    new GsonBuilder().setPrettyPrinting().create().toJson(result),
                    StandardCharsets.UTF_8);
        }
        return 0;
    }

    /**
     * A greedy generator of a model with random parameters, in its stepping form as the translator
     * builds it for the path.
     */
    private TokenGenerator generator(String path, int stateSize, NDManager manager) {
        SequentialBlock trained = architecture(stateSize).buildSequenceToSequence();
        trained.initialize(manager, DataType.FLOAT32, new Shape(1, promptLength));
        if (JVM.equals(path)) {
            return new JvmGenerator(JvmStepModel.of(trained), 0, 0);
        }
        SequentialBlock stepping =
                DjlGenerator.steppingCopy(
                        trained,
                        architecture(stateSize),
                        () -> ssm.build(stateSize, 0, true),
                        manager);
        return new DjlGenerator(stepping, manager, 0, 0);
    }

    private SsmModels.Builder architecture(int stateSize) {
        return SsmModels.builder()
                .setHiddenSize(hiddenSize)
                .setStateSize(stateSize)
                .optSsmFactory(i -> ssm.build(stateSize))
                .setOutputs(vocabulary)
                .optLayers(layers)
                .optDropout(0f)
                .optTokenVocabulary(vocabulary);
    }

    private Map<String, Object> result(List<Series> series) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("djl", Engine.getDjlVersion());
        out.put("pytorchThreads", JniUtils.getNumThreads());
        out.put("ssm", ssm.servingName());
        out.put("hiddenSize", hiddenSize);
        out.put("layers", layers);
        out.put("vocabulary", vocabulary);
        out.put("promptLength", promptLength);
        out.put("tokens", tokens);
        out.put("warmups", timing.warmups());
        out.put("runs", timing.runs());
        List<Map<String, Object>> sizes = new ArrayList<>();
        for (Series s : series) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", s.path);
            m.put("stateSize", s.stateSize);
            m.put("msPerTokenMin", TimingStatistics.min(s.perToken));
            m.put("msPerTokenMedian", TimingStatistics.median(s.perToken));
            double median = TimingStatistics.median(s.perToken);
            // A run too short to resolve the per-token time (prompt-only at least as slow) has
            // none.
            m.put("tokensPerSecondMedian", median > 0 ? 1000 / median : null);
            m.put("promptMsMedian", TimingStatistics.median(s.promptOnly));
            m.put("peakResidentMegabytes", s.peakMegabytes);
            m.put("msPerToken", s.perToken);
            sizes.add(m);
        }
        out.put("results", sizes);
        return out;
    }

    private String table(List<Series> series) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Step-wise generation, %s layers, H = %d, %d layers, vocabulary %d,"
                                + " prompt %d, %d tokens per run, %d warm-ups, %d runs, %d PyTorch"
                                + " threads%n%n",
                        ssm.servingName(),
                        hiddenSize,
                        layers,
                        vocabulary,
                        promptLength,
                        tokens,
                        timing.warmups(),
                        timing.runs(),
                        JniUtils.getNumThreads()));
        sb.append(
                "| path | state | ms/token min | ms/token median | tokens/s (median) | speed-up"
                        + " | peak RSS MB |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Series s : series) {
            double reference = TimingStatistics.median(first(series, s.path).perToken);
            double median = TimingStatistics.median(s.perToken);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %.3f | %.3f | %.0f | %.2fx | %s |%n",
                            s.path,
                            s.stateSize,
                            TimingStatistics.min(s.perToken),
                            median,
                            1000 / median,
                            reference / median,
                            s.peakMegabytes == null
                                    ? "n/a"
                                    : String.format(Locale.ROOT, "%.0f", s.peakMegabytes)));
        }
        return sb.toString();
    }

    /** The first series of a path, the uncompressed size its speed-ups refer to. */
    private static Series first(List<Series> series, String path) {
        return series.stream().filter(s -> s.path.equals(path)).findFirst().orElseThrow();
    }

    /** One path and state size: its generator, timings and peak memory. */
    private static final class Series {

        final String path;
        final int stateSize;
        final TokenGenerator generator;
        final PeakResidentMemory memory;
        final List<Double> perToken = new ArrayList<>();
        final List<Double> promptOnly = new ArrayList<>();
        Double peakMegabytes;

        Series(String path, int stateSize, TokenGenerator generator, PeakResidentMemory memory) {
            this.path = path;
            this.stateSize = stateSize;
            this.generator = generator;
            this.memory = memory;
        }

        /** Times a prompt-only and a full generation, in milliseconds. */
        double[] time(int[] prompt, int tokens) {
            long start = System.nanoTime();
            generator.continueFrom(prompt, 1);
            long middle = System.nanoTime();
            generator.continueFrom(prompt, tokens);
            long end = System.nanoTime();
            return new double[] {(middle - start) / 1e6, (end - middle) / 1e6};
        }

        void record(int[] prompt, int tokens) {
            memory.reset();
            double[] t = time(prompt, tokens);
            promptOnly.add(t[0]);
            perToken.add(Math.max(0, t[1] - t[0]) / (tokens - 1));
            memory.readMegabytes()
                    .ifPresent(
                            mb ->
                                    peakMegabytes =
                                            peakMegabytes == null
                                                    ? mb
                                                    : Math.max(mb, peakMegabytes));
        }
    }
}
