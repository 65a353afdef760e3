package io.github.compressm.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.GsonBuilder;
import io.github.compressm.examples.tasks.text.TextSampler;
import io.github.compressm.ssm.SsmModels;
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
 * Step-wise generation speed of a character language model at several state sizes: the first size
 * is the uncompressed model, the others compressed ones of the same architecture.
 *
 * <p>Each model is the examples' sequence-to-sequence {@link SsmModels} model whose LRU layers
 * return their states, generating greedily with {@link TextSampler} (the path of the {@code
 * generate} subcommand and the char-LM translator): one pass over a prompt, then one step per
 * character with the states carried. The cost of a step depends on the architecture and the state
 * size, not on the parameter values, so the models have random parameters. Protocol: warm-ups of
 * every size, then timed runs in rounds, every round running every size once, in alternating order
 * (so drift on a shared machine hits all sizes alike). A run times a prompt-only call (prompt plus
 * one character) and a full call (prompt plus {@code --tokens} characters); the latency per token
 * is {@code (full - prompt only) / (tokens - 1)}. Minimum and median per size, and the speed-up of
 * each size over the first, are printed as a Markdown table and written as JSON.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Tokens per second and latency per token of step-wise generation, the state sizes"
                        + " alternating in rounds after warm-ups; minimum and median per size.")
public final class GenerationBenchmark implements Callable<Integer> {

    @Option(
            names = "--state-sizes",
            split = ",",
            description = "State sizes, the uncompressed one first (default: ${DEFAULT-VALUE}).")
    List<Integer> stateSizes = List.of(256, 64);

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
        System.exit(new CommandLine(new GenerationBenchmark()).execute(args));
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
        if (timing.isSmokeRun()) {
            System.err.println("Smoke run: fewer warm-ups or runs than the protocol's 3 and 9");
        }
        timing.applyThreads();
        Engine.getInstance().setRandomSeed((int) seed);
        int[] prompt = new Random(seed).ints(promptLength, 0, vocabulary).toArray();
        List<Series> series = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int n : stateSizes) {
                series.add(new Series(n, model(n, manager), manager));
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

    /** A model with random parameters, copied into its stepping form as the generator does. */
    private SequentialBlock model(int stateSize, NDManager manager) {
        SequentialBlock trained = architecture(stateSize).buildSequenceToSequence();
        trained.initialize(manager, DataType.FLOAT32, new Shape(1, promptLength));
        return TextSampler.steppingCopy(trained, architecture(stateSize), stateSize, manager);
    }

    private SsmModels.Builder architecture(int stateSize) {
        return SsmModels.builder()
                .setHiddenSize(hiddenSize)
                .setStateSize(stateSize)
                .setOutputs(vocabulary)
                .optLayers(layers)
                .optDropout(0f)
                .optTokenVocabulary(vocabulary);
    }

    private Map<String, Object> result(List<Series> series) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("djl", Engine.getDjlVersion());
        out.put("pytorchThreads", JniUtils.getNumThreads());
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
            m.put("stateSize", s.stateSize);
            m.put("msPerTokenMin", TimingStatistics.min(s.perToken));
            m.put("msPerTokenMedian", TimingStatistics.median(s.perToken));
            double median = TimingStatistics.median(s.perToken);
            // A run too short to resolve the per-token time (prompt-only at least as slow) has
            // none.
            m.put("tokensPerSecondMedian", median > 0 ? 1000 / median : null);
            m.put("promptMsMedian", TimingStatistics.median(s.promptOnly));
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
                        "Step-wise generation, H = %d, %d layers, vocabulary %d, prompt %d, %d"
                                + " tokens per run, %d warm-ups, %d runs, %d PyTorch threads%n%n",
                        hiddenSize,
                        layers,
                        vocabulary,
                        promptLength,
                        tokens,
                        timing.warmups(),
                        timing.runs(),
                        JniUtils.getNumThreads()));
        sb.append("| state | ms/token min | ms/token median | tokens/s (median) | speed-up |\n");
        sb.append("|---|---|---|---|---|\n");
        double reference = TimingStatistics.median(series.get(0).perToken);
        for (Series s : series) {
            double median = TimingStatistics.median(s.perToken);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %.3f | %.3f | %.0f | %.2fx |%n",
                            s.stateSize,
                            TimingStatistics.min(s.perToken),
                            median,
                            1000 / median,
                            reference / median));
        }
        return sb.toString();
    }

    /** One state size: its model and timings. */
    private static final class Series {

        final int stateSize;
        final TextSampler sampler;
        final List<Double> perToken = new ArrayList<>();
        final List<Double> promptOnly = new ArrayList<>();

        Series(int stateSize, SequentialBlock model, NDManager manager) {
            this.stateSize = stateSize;
            this.sampler = new TextSampler(model, manager, 0, 0);
        }

        /** Times a prompt-only and a full generation, in milliseconds. */
        double[] time(int[] prompt, int tokens) {
            long start = System.nanoTime();
            sampler.continueFrom(prompt, 1);
            long middle = System.nanoTime();
            sampler.continueFrom(prompt, tokens);
            long end = System.nanoTime();
            return new double[] {(middle - start) / 1e6, (end - middle) / 1e6};
        }

        void record(int[] prompt, int tokens) {
            double[] t = time(prompt, tokens);
            promptOnly.add(t[0]);
            perToken.add(Math.max(0, t[1] - t[0]) / (tokens - 1));
        }
    }
}
