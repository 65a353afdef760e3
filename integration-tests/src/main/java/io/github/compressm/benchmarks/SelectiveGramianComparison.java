package io.github.compressm.benchmarks;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import com.google.gson.GsonBuilder;
import io.github.compressm.control.EmpiricalBalancing;
import io.github.compressm.control.SelectionMode;
import io.github.compressm.control.StateTransform;
import io.github.compressm.examples.tasks.text.CharLmSpec;
import io.github.compressm.examples.tasks.text.CharLmTask;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.examples.training.SsmFamily;
import io.github.compressm.examples.training.SsmLayers;
import io.github.compressm.examples.training.TaskData;
import io.github.compressm.examples.training.TerminalOutput;
import io.github.compressm.ssm.Mamba2;
import io.github.compressm.ssm.SignalMoments;
import io.github.compressm.ssm.SignalRecording;
import io.github.compressm.ssm.SsmBlock;
import io.github.compressm.ssm.SsmResidualBlock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Four ways to choose the states of one selective layer, on a briefly trained character language
 * model of {@link Mamba2} layers: (a) empirical balancing of the recorded state and state-gradient
 * moments ({@link EmpiricalBalancing}, what the listener does), (b) balancing of the averaged
 * time-invariant surrogate ({@link AveragedLtiSurrogate}: per head the mean decay, with the second
 * moments of {@code B_t} and {@code C_t}), (b') the same surrogate with {@code B_t B_t^T} weighted
 * by the energy of the step's scan input {@code dt_t xc_t} per head, (c) the first {@code r}
 * coordinates of the trained basis. For every order {@code r} each method reduces the layer of a
 * fresh copy of the trained model and the comparison reports the model's relative output change on
 * held-out windows, {@code ||y_r - y|| / ||y||} over all logits, and its bits per character there.
 * One check's moments: the recorded training batches are passed forward and backward without an
 * optimizer step.
 */
@Command(
        name = "selective",
        mixinStandardHelpOptions = true,
        description =
                "Empirical balancing vs the averaged-LTI surrogate vs plain truncation for one"
                        + " Mamba-2 layer of a briefly trained char-LM.")
public final class SelectiveGramianComparison implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SelectiveGramianComparison.class);

    private static final String NAME = "selective";

    /** How the kept states are chosen. */
    enum Method {
        /** Empirical balancing of the recorded {@code E[s s^T]} and {@code E[g g^T]}. */
        EMPIRICAL,
        /** Balancing of the averaged time-invariant surrogate. */
        AVERAGED_LTI,
        /** The same with {@code B_t B_t^T} weighted by the step's scan input energy per head. */
        AVERAGED_LTI_INPUT_WEIGHTED,
        /** The first {@code r} coordinates of the trained basis. */
        FIRST_COORDINATES
    }

    @Option(
            names = "--text",
            description = "Text to model (default: ${DEFAULT-VALUE}, from Debian's vim-runtime).")
    Path text = Path.of("/usr/share/vim/vim90/doc/version8.txt");

    @Option(names = "--seq-len", description = "Training window (default: ${DEFAULT-VALUE}).")
    int sequenceLength = 64;

    @Option(names = "--state-size", description = "State size N (default: ${DEFAULT-VALUE}).")
    int stateSize = 32;

    @Option(names = "--hidden-size", description = "Features (default: ${DEFAULT-VALUE}).")
    int hiddenSize = 32;

    @Option(names = "--layers", description = "Residual layers (default: ${DEFAULT-VALUE}).")
    int layers = 2;

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 1;

    @Option(
            names = "--limit",
            description = "Training windows per epoch, 0 for all (default: ${DEFAULT-VALUE}).")
    int limit = 4800;

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 16;

    @Option(names = "--learning-rate", description = "Adam's rate (default: ${DEFAULT-VALUE}).")
    float learningRate = 0.003f;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(
            names = "--layer",
            description = "Index of the reduced layer, from 0 (default: ${DEFAULT-VALUE}).")
    int layer;

    @Option(
            names = "--orders",
            split = ",",
            description = "Reduced state sizes r (default: ${DEFAULT-VALUE}).")
    List<Integer> orders = List.of(4, 8, 16);

    @Option(
            names = "--record-batches",
            description = "Training batches recorded for the moments (default: ${DEFAULT-VALUE}).")
    int recordBatches = 8;

    @Option(
            names = "--eval-batches",
            description =
                    "Held-out batches the outputs are compared on (default: ${DEFAULT-VALUE}).")
    int evalBatches = 4;

    @Option(names = "--json", description = "Output file (default: ${DEFAULT-VALUE}).")
    Path json = Path.of("target/selective-gramians.json");

    @Spec CommandSpec spec;

    /** One reduction: {@code error} says why a method could not reduce to this order, else null. */
    record Result(
            String method,
            int order,
            int states,
            double energyKept,
            double relativeOutputChange,
            double bitsPerCharacter,
            String error) {}

    /** The comparison's output. */
    record Report(
            String text,
            int stateSize,
            int hiddenSize,
            int layers,
            int layer,
            long trainingSteps,
            long recordedSamples,
            double[] empiricalHankelSingularValues,
            double[] surrogateHankelSingularValues,
            double[] weightedSurrogateHankelSingularValues,
            double[] meanDecays,
            double bitsPerCharacter,
            List<Result> results) {}

    /** What the recorded batches gave. */
    private record Recorded(
            SignalMoments moments, AveragedLtiSurrogate surrogate, AveragedLtiSurrogate weighted) {
        /** The balancings of the methods that balance, by method. */
        Map<Method, EmpiricalBalancing> balancings() {
            Map<Method, EmpiricalBalancing> balancings = new EnumMap<>(Method.class);
            balancings.put(
                    Method.EMPIRICAL,
                    EmpiricalBalancing.of(moments.getSignal(), moments.getGradient()));
            balancings.put(Method.AVERAGED_LTI, surrogate.balancing());
            balancings.put(Method.AVERAGED_LTI_INPUT_WEIGHTED, weighted.balancing());
            return balancings;
        }
    }

    /**
     * Runs the comparison.
     *
     * @param args command line arguments, see {@code --help}
     */
    public static void main(String[] args) {
        TerminalOutput.install();
        System.exit(new CommandLine(new SelectiveGramianComparison()).execute(args));
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException, TranslateException, MalformedModelException {
        validate();
        CharLmTask task = new CharLmTask(new CharLmSpec(text, sequenceLength, 0.1, 0, 0));
        RunConfig config =
                RunConfig.builder()
                        .optSsm(SsmFamily.MAMBA2)
                        .optStateSize(stateSize)
                        .optHiddenSize(hiddenSize)
                        .optLayers(layers)
                        .optEpochs(epochs)
                        .optBatchSize(batchSize)
                        .optLearningRate(learningRate)
                        .optSeed(seed)
                        .optLimit(limit)
                        .optCompression(false)
                        .build();
        Engine.getInstance().setRandomSeed((int) seed);
        Path saved = Files.createTempDirectory("selective-gramians");
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance(NAME)) {
            TaskData data = task.prepare(manager, config);
            model.setBlock(task.buildModel(config));
            Loss loss = task.loss();
            DefaultTrainingConfig training =
                    new DefaultTrainingConfig(loss)
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(learningRate))
                                            .build());
            long steps;
            Recorded recorded;
            try (Trainer trainer = model.newTrainer(training)) {
                trainer.initialize(data.inputShape());
                EasyTrain.fit(trainer, epochs, data.train(), null);
                steps = (long) epochs * ((data.train().size() + batchSize - 1) / batchSize);
                LOG.info("Trained {} steps; recording {} batches", steps, recordBatches);
                recorded = record(trainer, data, manager);
            }
            model.save(saved, NAME);
            List<Batch> held = heldOut(data, manager);
            List<NDArray> reference = outputs(model.getBlock(), held, manager);
            double bits = bitsPerCharacter(loss, held, reference);
            Map<Method, EmpiricalBalancing> balancings = recorded.balancings();
            List<Result> results = new ArrayList<>();
            for (Method method : Method.values()) {
                for (int order : orders) {
                    results.add(
                            reduce(
                                    method,
                                    order,
                                    balancings.get(method),
                                    task,
                                    config,
                                    saved,
                                    held,
                                    reference,
                                    loss));
                }
            }
            held.forEach(Batch::close);
            Report report =
                    new Report(
                            text.toString(),
                            stateSize,
                            hiddenSize,
                            layers,
                            layer,
                            steps,
                            Math.min(
                                    recorded.moments().getSignalSamples(),
                                    recorded.moments().getGradientSamples()),
                            balancings.get(Method.EMPIRICAL).getHankelSingularValues(),
                            balancings.get(Method.AVERAGED_LTI).getHankelSingularValues(),
                            balancings
                                    .get(Method.AVERAGED_LTI_INPUT_WEIGHTED)
                                    .getHankelSingularValues(),
                            recorded.surrogate().meanDecays(),
                            bits,
                            results);
            write(report);
            for (Result r : results) {
                LOG.info(
                        "{} r={}: relative output change {}, bits/char {}{}",
                        r.method(),
                        r.order(),
                        r.relativeOutputChange(),
                        r.bitsPerCharacter(),
                        r.error() == null ? "" : " (" + r.error() + ")");
            }
            LOG.info("Comparison written to {}", json);
            return 0;
        } finally {
            deleteTree(saved);
        }
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        if (layer < 0 || layer >= layers) {
            problems.add("--layer must be in [0, " + layers + "), got " + layer);
        }
        for (int order : orders) {
            if (order < 1 || order >= stateSize) {
                problems.add(
                        "every order must be in [1, --state-size = "
                                + stateSize
                                + "), got "
                                + order);
            }
        }
        if (recordBatches < 1 || evalBatches < 1) {
            problems.add("--record-batches and --eval-batches must be at least 1");
        }
        if (!problems.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join("; ", problems));
        }
    }

    /**
     * Passes training batches forward and backward without a step, recording the layer's states and
     * their gradients, and its {@code B_t}, {@code C_t}, decays and scan inputs for the surrogates.
     */
    private Recorded record(Trainer trainer, TaskData data, NDManager manager)
            throws IOException, TranslateException {
        Block root = trainer.getModel().getBlock();
        Mamba2 target = layerOf(root);
        SignalRecording recording = target.getSignalMoments();
        int heads = Math.toIntExact(target.getHeads());
        AveragedLtiSurrogate surrogate = new AveragedLtiSurrogate(stateSize, heads, false);
        AveragedLtiSurrogate weighted = new AveragedLtiSurrogate(stateSize, heads, true);
        ParameterStore store = new ParameterStore(manager, false);
        recording.start();
        int done = 0;
        for (Batch batch : trainer.iterateDataset(data.train())) {
            try (batch;
                    GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(batch.getData());
                collector.backward(trainer.getLoss().evaluate(batch.getLabels(), predictions));
                recording.collectGradient();
                NDList terms = selectiveTerms(root, target, batch.getData(), store);
                double[] b = values(terms.get(0));
                double[] c = values(terms.get(1));
                double[] logDecay = values(terms.get(2));
                double[] scanInput = values(terms.get(3));
                surrogate.add(b, c, logDecay, scanInput);
                weighted.add(b, c, logDecay, scanInput);
            }
            if (++done == recordBatches) {
                break;
            }
        }
        SignalMoments moments = recording.takeMoments();
        recording.stop();
        if (moments == null) {
            throw new IllegalStateException(
                    "no states were recorded: use a --seq-len of at least 2 so that states pass"
                            + " between chunks");
        }
        return new Recorded(moments, surrogate, weighted);
    }

    /**
     * The layer's scan terms for a model input: the blocks before its residual layer, then that
     * layer's norm (the input of its SSM).
     */
    private static NDList selectiveTerms(
            Block root, Mamba2 target, NDList input, ParameterStore store) {
        NDList x = input;
        for (Pair<String, Block> child : ((SequentialBlock) root).getChildren()) {
            Block block = child.getValue();
            if (block instanceof SsmResidualBlock residual && residual.getSsm() == target) {
                Block norm =
                        residual.getChildren().values().stream()
                                .filter(LayerNorm.class::isInstance)
                                .findFirst()
                                .orElseThrow();
                NDArray u = norm.forward(store, x, false).head();
                return target.selectiveTerms(store, u, false);
            }
            x = block.forward(store, x, false);
        }
        throw new IllegalStateException("the reduced layer is not a residual layer of the model");
    }

    private Result reduce(
            Method method,
            int order,
            EmpiricalBalancing balancing,
            CharLmTask task,
            RunConfig config,
            Path saved,
            List<Batch> held,
            List<NDArray> reference,
            Loss loss)
            throws IOException, MalformedModelException {
        double[][] left;
        double[][] right;
        double energy = Double.NaN;
        try {
            if (method == Method.FIRST_COORDINATES) {
                left = new double[order][stateSize];
                right = new double[stateSize][order];
                for (int i = 0; i < order; i++) {
                    left[i][i] = 1;
                    right[i][i] = 1;
                }
            } else {
                StateTransform transform = balancing.truncate(order, SelectionMode.LARGEST, null);
                left = transform.getLeft();
                right = transform.getRight();
                energy = transform.getEnergyKept();
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            return new Result(
                    method.name(), order, 0, Double.NaN, Double.NaN, Double.NaN, e.getMessage());
        }
        try (NDManager manager = NDManager.newBaseManager();
                Model copy = Model.newInstance(NAME)) {
            copy.setBlock(task.buildModel(config));
            copy.load(saved, NAME);
            layerOf(copy.getBlock()).reduceState(left, right);
            List<NDArray> outputs = outputs(copy.getBlock(), held, manager);
            double change = 0;
            double norm = 0;
            for (int i = 0; i < outputs.size(); i++) {
                change += squaredNorm(outputs.get(i).sub(reference.get(i)));
                norm += squaredNorm(reference.get(i));
            }
            return new Result(
                    method.name(),
                    order,
                    left.length,
                    energy,
                    Math.sqrt(change / norm),
                    bitsPerCharacter(loss, held, outputs),
                    null);
        }
    }

    private Mamba2 layerOf(Block root) {
        SsmBlock block = SsmLayers.find(root).get(layer);
        if (!(block instanceof Mamba2 mamba)) {
            throw new IllegalStateException("layer " + layer + " is not a Mamba2 layer: " + block);
        }
        return mamba;
    }

    private List<Batch> heldOut(TaskData data, NDManager manager)
            throws IOException, TranslateException {
        List<Batch> batches = new ArrayList<>();
        for (Batch batch : data.test().getData(manager)) {
            batches.add(batch);
            if (batches.size() == evalBatches) {
                break;
            }
        }
        return batches;
    }

    private static List<NDArray> outputs(Block root, List<Batch> batches, NDManager manager) {
        ParameterStore store = new ParameterStore(manager, false);
        List<NDArray> outputs = new ArrayList<>();
        for (Batch batch : batches) {
            NDArray y = root.forward(store, batch.getData(), false).head();
            y.attach(manager);
            outputs.add(y);
        }
        return outputs;
    }

    private static double bitsPerCharacter(Loss loss, List<Batch> batches, List<NDArray> outputs) {
        double sum = 0;
        for (int i = 0; i < batches.size(); i++) {
            sum += loss.evaluate(batches.get(i).getLabels(), new NDList(outputs.get(i))).getFloat();
        }
        return sum / batches.size() / Math.log(2);
    }

    private static double squaredNorm(NDArray a) {
        return a.toType(DataType.FLOAT64, false).square().sum().getDouble();
    }

    private static double[] values(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private void write(Report report) throws IOException {
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(
                json,
                new GsonBuilder()
                        .setPrettyPrinting()
                        .serializeSpecialFloatingPointValues()
                        .create()
                        .toJson(report),
                StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
