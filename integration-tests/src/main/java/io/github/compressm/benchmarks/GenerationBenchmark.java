package io.github.compressm.benchmarks;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.GsonBuilder;
import io.github.compressm.examples.training.PeakResidentMemory;
import io.github.compressm.examples.training.SsmFamily;
import io.github.compressm.ssm.SsmModels;
import io.github.compressm.ssm.generation.DjlGenerator;
import io.github.compressm.ssm.generation.JvmGenerator;
import io.github.compressm.ssm.generation.JvmStepModel;
import io.github.compressm.ssm.serving.CharLmTranslator;
import io.github.compressm.ssm.serving.CharVocabulary;
import io.github.compressm.ssm.serving.ModelExport;
import io.github.compressm.ssm.serving.SsmBlockFactory;
import io.github.compressm.ssm.serving.SsmTranslatorFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Step-wise generation speed of a character language model at several state sizes, on the
 * generation paths a user has, and the memory of an engine-free serving process: the first size is
 * the uncompressed model, the others compressed ones of the same architecture.
 *
 * <p>Each model is the examples' sequence-to-sequence {@link SsmModels} model of the {@code --ssm}
 * family's layers (LRU, S5 or Mamba-2, with the family's default settings), generating greedily.
 * The cost of a step depends on the architecture and the state size, not on the parameter values,
 * so the models have random parameters; every path of one size runs the same model. The paths:
 *
 * <ul>
 *   <li>{@code criteria}: as a user serves it. The model is saved to a temporary directory as
 *       {@code char-lm --save-model} saves it ({@link ModelExport}), loaded through DJL's {@link
 *       Criteria} with the {@link SsmTranslatorFactory} and called through a {@code
 *       Predictor<String, String>}; the translator steps it on the JVM, its default. A request's
 *       length is a model argument, so the path loads the model twice, for one character and for
 *       {@code --tokens}; a request's fixed cost (the predictor's context, the prompt's encoding)
 *       is cancelled by the difference below.
 *   <li>{@code jvm}: {@link JvmGenerator} on the {@link JvmStepModel} of the model in memory, the
 *       step alone, without the translator.
 *   <li>{@code djl}: {@link DjlGenerator} on a stepping copy of the model (its SSM layers return
 *       their states), through the engine, at every batch size of {@code --batch-sizes} ({@link
 *       DjlGenerator#continueFrom(int[][], int)}, that many prompts of the prompt length).
 * </ul>
 *
 * <p>Protocol: warm-ups of every series (path, size and batch), then timed runs in rounds, every
 * round running every series once, in alternating order (so drift on a shared machine hits all
 * series alike). A run times a prompt-only request (prompt plus one character) and a full one
 * (prompt plus {@code --tokens} characters); the time per step is {@code (full - prompt only) /
 * (tokens - 1)}, the latency per character of one sequence, and a series' tokens per second are its
 * batch size over that time. Minimum and median per series, tokens per second from the median, the
 * speed-up of each size over the first on the same path and batch size (as the ratio of the two
 * medians, and paired: the median over rounds of the two series' ratio in the same round, which a
 * drift of the machine's speed between rounds does not move), and the peak resident memory of this
 * process during the series' timed runs (Linux {@code VmHWM}, reset before each run; it includes
 * the JVM, the engine and every loaded model, so it bounds what a path adds rather than isolating
 * it).
 *
 * <p>Engine-free memory ({@code --engine-free-memory}, on by default): per state size, a child JVM
 * ({@link EngineFreeGeneration}, options {@code --engine-free-java-options}) whose class path holds
 * no engine loads the saved model with {@code StepModelLoader}, generates and reports its own peak
 * resident memory over its life, the footprint of a deployment without PyTorch. Both tables are
 * printed in Markdown and written as JSON.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Tokens per second and latency per token of step-wise generation through Criteria,"
                        + " on the JVM and through the DJL engine (batched), the series alternating"
                        + " in rounds after warm-ups; minimum and median per series, peak resident"
                        + " memory, and that of an engine-free serving process per state size.")
public final class GenerationBenchmark implements Callable<Integer> {

    static final String DJL = "djl";
    static final String JVM = "jvm";
    static final String CRITERIA = "criteria";

    /**
     * The first character of the models' vocabulary (CJK ideographs: all letters, none special).
     */
    private static final int FIRST_CHARACTER = 0x4E00;

    @Option(
            names = "--state-sizes",
            split = ",",
            description = "State sizes, the uncompressed one first (default: ${DEFAULT-VALUE}).")
    List<Integer> stateSizes = List.of(256, 64);

    @Option(
            names = "--paths",
            split = ",",
            description = "Generation paths: criteria, jvm and/or djl (default: ${DEFAULT-VALUE}).")
    List<String> paths = List.of(CRITERIA, JVM, DJL);

    @Option(
            names = "--batch-sizes",
            split = ",",
            description =
                    "Prompts per call on the djl path, each a series (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes = List.of(1, 4, 16);

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

    @Option(
            names = "--engine-free-memory",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Measure the peak resident memory of an engine-free child JVM per state size"
                            + " (default: on; --no-engine-free-memory skips it).")
    boolean engineFreeMemory = true;

    @Option(
            names = "--engine-free-java-options",
            split = ",",
            description = "The engine-free child JVM's options (default: ${DEFAULT-VALUE}).")
    List<String> engineFreeJavaOptions = List.of("-Xmx64m", "-XX:+UseSerialGC");

    @Mixin TimingOptions timing = new TimingOptions();

    @Option(names = "--seed", description = "Seed of parameters and prompts.")
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
     * @throws Exception if a model cannot be saved or loaded, or the JSON file cannot be written
     */
    @Override
    public Integer call() throws Exception {
        validate();
        timing.warnIfSmokeRun();
        timing.applyThreads();
        Engine.getInstance().setRandomSeed((int) seed);
        Random random = new Random(seed);
        int[][] prompts = new int[Collections.max(batchSizes)][];
        for (int r = 0; r < prompts.length; r++) {
            prompts[r] = random.ints(promptLength, 0, vocabulary).toArray();
        }
        List<Series> series = new ArrayList<>();
        List<Map<String, Object>> engineFree = new ArrayList<>();
        PeakResidentMemory memory = new PeakResidentMemory();
        Path saved = Files.createTempDirectory("compressm-generate");
        List<AutoCloseable> resources = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<Integer, SequentialBlock> models = new LinkedHashMap<>();
            Map<Integer, Path> dirs = new LinkedHashMap<>();
            for (int n : stateSizes) {
                SequentialBlock model = architecture(n).buildSequenceToSequence();
                model.initialize(manager, DataType.FLOAT32, new Shape(1, promptLength));
                models.put(n, model);
                if (paths.contains(CRITERIA) || engineFreeMemory) {
                    dirs.put(n, save(model, saved.resolve(ssm.servingName() + "-" + n), n));
                }
            }
            for (String path : paths) {
                for (int n : stateSizes) {
                    addSeries(
                            series,
                            path,
                            n,
                            models.get(n),
                            dirs.get(n),
                            prompts,
                            manager,
                            resources,
                            memory);
                }
            }
            for (int w = 0; w < timing.warmups(); w++) {
                for (Series s : series) {
                    s.time();
                }
            }
            for (int r = 0; r < timing.runs(); r++) {
                for (int i = 0; i < series.size(); i++) {
                    series.get(r % 2 == 0 ? i : series.size() - 1 - i).record();
                }
            }
            if (engineFreeMemory) {
                for (int n : stateSizes) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("stateSize", n);
                    m.put(
                            "peakResidentMegabytes",
                            EngineFreeGeneration.peakMegabytes(
                                    dirs.get(n),
                                    engineFreeJavaOptions,
                                    promptLength,
                                    tokens,
                                    timing.warmups() + 1));
                    engineFree.add(m);
                }
            }
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
            delete(saved);
        }
        System.out.print(table(series, engineFree));
        write(result(series, engineFree));
        return 0;
    }

    private void validate() {
        CommandLine line = new CommandLine(this);
        if (stateSizes.isEmpty()
                || tokens < 2
                || timing.runs() < 1
                || timing.warmups() < 0
                || promptLength < 1
                || vocabulary < 1) {
            throw new CommandLine.ParameterException(
                    line,
                    "need at least one state size, --tokens >= 2, --runs >= 1, --warmups >= 0,"
                            + " --prompt-length >= 1 and --vocabulary >= 1");
        }
        if (paths.isEmpty() || !List.of(CRITERIA, JVM, DJL).containsAll(paths)) {
            throw new CommandLine.ParameterException(
                    line, "--paths must list criteria, jvm and/or djl, got " + paths);
        }
        if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b < 1)) {
            throw new CommandLine.ParameterException(
                    line, "--batch-sizes must list positive batch sizes, got " + batchSizes);
        }
    }

    /** Adds the series of one path and state size: one per batch size on the djl path. */
    private void addSeries(
            List<Series> series,
            String path,
            int stateSize,
            SequentialBlock model,
            Path dir,
            int[][] prompts,
            NDManager manager,
            List<AutoCloseable> resources,
            PeakResidentMemory memory)
            throws ModelNotFoundException, MalformedModelException, IOException {
        int[] prompt = prompts[0];
        switch (path) {
            case JVM:
                JvmGenerator jvm = new JvmGenerator(JvmStepModel.of(model), 0, 0);
                series.add(
                        new Series(
                                path,
                                stateSize,
                                1,
                                full -> jvm.continueFrom(prompt, full ? tokens : 1),
                                memory));
                break;
            case CRITERIA:
                String text = characters().decode(prompt);
                Predictor<String, String> one = predictor(dir, 1, resources);
                Predictor<String, String> all = predictor(dir, tokens, resources);
                series.add(
                        new Series(
                                path,
                                stateSize,
                                1,
                                full -> (full ? all : one).predict(text),
                                memory));
                break;
            default:
                SequentialBlock stepping =
                        DjlGenerator.steppingCopy(
                                model,
                                architecture(stateSize),
                                () -> ssm.build(stateSize, 0, true),
                                manager);
                DjlGenerator djl = new DjlGenerator(stepping, manager, 0, 0);
                for (int batch : batchSizes) {
                    int[][] batched = Arrays.copyOf(prompts, batch);
                    series.add(
                            new Series(
                                    path,
                                    stateSize,
                                    batch,
                                    full -> djl.continueFrom(batched, full ? tokens : 1),
                                    memory));
                }
        }
    }

    /** Loads a saved model through Criteria as a user serves it, generating {@code length}. */
    private static Predictor<String, String> predictor(
            Path dir, int length, List<AutoCloseable> resources)
            throws ModelNotFoundException, MalformedModelException, IOException {
        ZooModel<String, String> model =
                Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optModelPath(dir)
                        .optTranslatorFactory(new SsmTranslatorFactory())
                        .optArgument(CharLmTranslator.GENERATION, CharLmTranslator.JVM)
                        .optArgument(CharLmTranslator.LENGTH, length)
                        .optArgument(CharLmTranslator.TEMPERATURE, 0)
                        .build()
                        .loadModel();
        resources.add(model);
        Predictor<String, String> predictor = model.newPredictor();
        resources.add(predictor);
        return predictor;
    }

    /**
     * Saves a model as {@code char-lm --save-model} does: its parameters and a {@code
     * serving.properties} with the architecture, the vocabulary and greedy generation.
     */
    private Path save(SequentialBlock block, Path dir, int stateSize) throws IOException {
        Map<String, String> properties = new HashMap<>();
        properties.put(SsmBlockFactory.ARCHITECTURE, SsmBlockFactory.SEQUENCE_TO_SEQUENCE);
        properties.put(SsmBlockFactory.SSM, ssm.servingName());
        properties.put(SsmBlockFactory.HIDDEN_SIZE, Integer.toString(hiddenSize));
        properties.put(SsmBlockFactory.STATE_SIZE, Integer.toString(stateSize));
        properties.put(SsmBlockFactory.LAYERS, Integer.toString(layers));
        properties.put(SsmBlockFactory.OUTPUTS, Integer.toString(vocabulary));
        properties.put(SsmBlockFactory.TOKEN_VOCABULARY, Integer.toString(vocabulary));
        properties.put(
                CharLmTranslator.VOCABULARY,
                characters().decode(IntStream.range(0, vocabulary).toArray()));
        properties.put(CharLmTranslator.TEMPERATURE, "0");
        properties.put(CharLmTranslator.LENGTH, Integer.toString(tokens));
        try (Model model = Model.newInstance(dir.getFileName().toString())) {
            model.setBlock(block);
            ModelExport.save(model, dir, properties);
        }
        return dir;
    }

    /** The models' characters: {@code --vocabulary} consecutive letters. */
    private CharVocabulary characters() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < vocabulary; i++) {
            sb.appendCodePoint(FIRST_CHARACTER + i);
        }
        return CharVocabulary.of(sb.toString());
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

    private Map<String, Object> result(List<Series> series, List<Map<String, Object>> engineFree) {
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
        out.put("paths", paths);
        out.put("batchSizes", batchSizes);
        List<Map<String, Object>> sizes = new ArrayList<>();
        for (Series s : series) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", s.path);
            m.put("stateSize", s.stateSize);
            m.put("batchSize", s.batch);
            m.put("msPerTokenMin", TimingStatistics.min(s.perToken));
            m.put("msPerTokenMedian", TimingStatistics.median(s.perToken));
            double median = TimingStatistics.median(s.perToken);
            // A run too short to resolve the per-token time (prompt-only at least as slow) has
            // none.
            m.put("tokensPerSecondMedian", median > 0 ? s.batch * 1000 / median : null);
            m.put(
                    "speedUpPairedMedian",
                    finite(TimingStatistics.pairedSpeedUp(first(series, s).perToken, s.perToken)));
            m.put("promptMsMedian", TimingStatistics.median(s.promptOnly));
            m.put("peakResidentMegabytes", s.peakMegabytes);
            m.put("msPerToken", s.perToken);
            sizes.add(m);
        }
        out.put("results", sizes);
        if (engineFreeMemory) {
            out.put("engineFreeJavaOptions", engineFreeJavaOptions);
            out.put("engineFreeMemory", engineFree);
        }
        return out;
    }

    private void write(Map<String, Object> result) throws IOException {
        Path json = timing.json();
        if (json == null) {
            return;
        }
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(
                json,
                new GsonBuilder().setPrettyPrinting().create().toJson(result),
                StandardCharsets.UTF_8);
    }

    private String table(List<Series> series, List<Map<String, Object>> engineFree) {
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
                "| path | state | batch | ms/token min | ms/token median | tokens/s (median) |"
                        + " speed-up (medians) | speed-up (paired) | peak RSS MB |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Series s : series) {
            double reference = TimingStatistics.median(first(series, s).perToken);
            double median = TimingStatistics.median(s.perToken);
            double paired = TimingStatistics.pairedSpeedUp(first(series, s).perToken, s.perToken);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %d | %.3f | %.3f | %s | %s | %s | %s |%n",
                            s.path,
                            s.stateSize,
                            s.batch,
                            TimingStatistics.min(s.perToken),
                            median,
                            // A run too short to resolve a step (prompt-only as slow) has no rate.
                            median > 0
                                    ? String.format(Locale.ROOT, "%.0f", s.batch * 1000 / median)
                                    : "n/a",
                            median > 0
                                    ? String.format(Locale.ROOT, "%.2fx", reference / median)
                                    : "n/a",
                            Double.isNaN(paired)
                                    ? "n/a"
                                    : String.format(Locale.ROOT, "%.2fx", paired),
                            megabytes(s.peakMegabytes)));
        }
        if (!engineFree.isEmpty()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%nEngine-free serving process (StepModelLoader, no engine on the class"
                                    + " path, %s), peak resident memory over its life%n%n",
                            String.join(" ", engineFreeJavaOptions)));
            sb.append("| state | peak RSS MB |\n|---|---|\n");
            for (Map<String, Object> m : engineFree) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %d | %s |%n",
                                (Integer) m.get("stateSize"),
                                megabytes((Double) m.get("peakResidentMegabytes"))));
            }
        }
        return sb.toString();
    }

    /** A ratio for the JSON: {@code null} where no round resolved it. */
    private static Double finite(double ratio) {
        return Double.isNaN(ratio) ? null : ratio;
    }

    private static String megabytes(Double mb) {
        return mb == null ? "n/a" : String.format(Locale.ROOT, "%.0f", mb);
    }

    /** The first series of a path and batch size, the uncompressed size its speed-ups refer to. */
    private static Series first(List<Series> series, Series of) {
        return series.stream()
                .filter(s -> s.path.equals(of.path) && s.batch == of.batch)
                .findFirst()
                .orElseThrow();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** A request of a series: the prompt-only one or the full one. */
    @FunctionalInterface
    private interface Request {
        void run(boolean full) throws Exception;
    }

    /** One path, state size and batch size: its requests, timings and peak memory. */
    private final class Series {

        final String path;
        final int stateSize;
        final int batch;
        final Request request;
        final PeakResidentMemory memory;
        final List<Double> perToken = new ArrayList<>();
        final List<Double> promptOnly = new ArrayList<>();
        Double peakMegabytes;

        Series(String path, int stateSize, int batch, Request request, PeakResidentMemory memory) {
            this.path = path;
            this.stateSize = stateSize;
            this.batch = batch;
            this.request = request;
            this.memory = memory;
        }

        /** Times a prompt-only and a full request, in milliseconds. */
        double[] time() throws Exception {
            long start = System.nanoTime();
            request.run(false);
            long middle = System.nanoTime();
            request.run(true);
            long end = System.nanoTime();
            return new double[] {(middle - start) / 1e6, (end - middle) / 1e6};
        }

        void record() throws Exception {
            memory.reset();
            double[] t = time();
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
