package io.github.compressm.examples.tasks.text;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import io.github.compressm.examples.training.DataUnavailableException;
import io.github.compressm.examples.training.ExampleTask;
import io.github.compressm.examples.training.HeldOutEvaluation;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.examples.training.TaskData;
import io.github.compressm.examples.training.TaskMetric;
import io.github.compressm.ssm.SsmModels;
import io.github.compressm.ssm.generation.DjlGenerator;
import io.github.compressm.ssm.serving.CharLmTranslator;
import io.github.compressm.ssm.serving.CharVocabulary;
import io.github.compressm.ssm.serving.SsmBlockFactory;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A character-level language model on a text file: the text is split into a training part and a
 * held-out tail, cut into windows of {@code sequenceLength} characters, and a sequence-to-sequence
 * SSM model predicts each next character. Reports bits per character on the held-out part ({@code
 * bits_per_character}, the main metric) and a sampled continuation of the held-out text's first
 * characters, generated one character at a time with the SSM states carried ({@link DjlGenerator}).
 */
public final class CharLmTask implements ExampleTask {

    private static final double LN2 = Math.log(2);

    private final CharLmSpec spec;
    private CharVocabulary vocabulary;
    private int[] heldOut;

    /**
     * Creates the task.
     *
     * @param spec the settings
     */
    public CharLmTask(CharLmSpec spec) {
        this.spec = spec;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "char-lm";
    }

    /** {@inheritDoc} */
    @Override
    public TaskData prepare(NDManager manager, RunConfig config) throws IOException {
        String text = read();
        vocabulary = CharVocabulary.of(text);
        int[] ids = vocabulary.encode(text);
        int window = spec.sequenceLength();
        int split = (int) Math.round(ids.length * (1 - spec.heldOutFraction()));
        int[] train = Arrays.copyOfRange(ids, 0, split);
        heldOut = Arrays.copyOfRange(ids, split, ids.length);
        if (train.length < window + 1 || heldOut.length < window + 1) {
            throw new DataUnavailableException(
                    "text file "
                            + spec.text()
                            + " is too short: "
                            + ids.length
                            + " characters, but the training part and the held-out part ("
                            + spec.heldOutFraction()
                            + " of the text) each need more than --seq-len = "
                            + window
                            + "; use a longer text or a shorter --seq-len");
        }
        int trainWindows = (train.length - 1) / window;
        if (config.training().limit() > 0) {
            trainWindows = Math.min(trainWindows, config.training().limit());
        }
        return new TaskData(
                windows(manager, train, window, trainWindows, config.training().batchSize(), true),
                windows(
                        manager,
                        heldOut,
                        window,
                        (heldOut.length - 1) / window,
                        config.training().batchSize(),
                        false),
                new Shape(1, window),
                DataType.INT64);
    }

    /** {@inheritDoc} */
    @Override
    public Block buildModel(RunConfig config) {
        return models(config).buildSequenceToSequence();
    }

    /** {@inheritDoc} */
    @Override
    public Loss loss() {
        return new SequenceCrossEntropyLoss("CrossEntropy");
    }

    /** {@inheritDoc} */
    @Override
    public List<Evaluator> evaluators() {
        return List.of(new Accuracy("Accuracy", 2));
    }

    /** {@inheritDoc} */
    @Override
    public TaskMetric evaluate(Trainer trainer, TaskData data) {
        HeldOutEvaluation eval = HeldOutEvaluation.run(trainer, data.test(), loss(), 2);
        Map<String, Double> all = new LinkedHashMap<>();
        all.put("bits_per_character", eval.meanLoss() / LN2);
        all.put("test_loss", eval.meanLoss());
        all.put("test_accuracy", eval.accuracy());
        return new TaskMetric("bits_per_character", eval.meanLoss() / LN2, all);
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, Object> details(Trainer trainer, RunConfig config) {
        int promptLength = Math.min(32, heldOut.length);
        int[] prompt = Arrays.copyOf(heldOut, promptLength);
        int[] generated = spec.sampleLength() == 0 ? new int[0] : sample(trainer, config, prompt);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("textFile", spec.text().toString());
        details.put("vocabulary", vocabulary.size());
        details.put("sequenceLength", spec.sequenceLength());
        details.put("temperature", spec.temperature());
        details.put("prompt", vocabulary.decode(prompt));
        details.put("sample", vocabulary.decode(generated));
        return details;
    }

    private int[] sample(Trainer trainer, RunConfig config, int[] prompt) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            SequentialBlock stepping =
                    DjlGenerator.steppingCopy(
                            trainer.getModel().getBlock(),
                            models(config),
                            () -> config.model().ssm().build(config.model().stateSize(), 0, true),
                            manager);
            return new DjlGenerator(stepping, manager, spec.temperature(), config.training().seed())
                    .continueFrom(prompt, spec.sampleLength());
        }
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, String> servingProperties() {
        return Map.of(
                SsmBlockFactory.ARCHITECTURE, SsmBlockFactory.SEQUENCE_TO_SEQUENCE,
                SsmBlockFactory.OUTPUTS, Integer.toString(vocabulary.size()),
                SsmBlockFactory.TOKEN_VOCABULARY, Integer.toString(vocabulary.size()),
                CharLmTranslator.VOCABULARY, vocabulary.decode(allIds()),
                CharLmTranslator.TEMPERATURE, Double.toString(spec.temperature()),
                CharLmTranslator.LENGTH, Integer.toString(Math.max(1, spec.sampleLength())));
    }

    private int[] allIds() {
        return IntStream.range(0, vocabulary.size()).toArray();
    }

    private SsmModels.Builder models(RunConfig config) {
        return config.model().modelBuilder(vocabulary.size()).optTokenVocabulary(vocabulary.size());
    }

    private String read() throws IOException {
        try {
            return Files.readString(spec.text(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DataUnavailableException(
                    "text file not found: "
                            + spec.text()
                            + " (pass --text with any UTF-8 text file, for example a book from"
                            + " your disk; the default comes with Debian's vim-runtime:"
                            + " apt-get install vim-runtime)",
                    e);
        } catch (CharacterCodingException e) {
            throw new DataUnavailableException("text file is not UTF-8: " + spec.text(), e);
        }
    }

    private static ArrayDataset windows(
            NDManager manager, int[] ids, int window, int count, int batch, boolean shuffle) {
        long[] inputs = new long[count * window];
        long[] targets = new long[count * window];
        for (int w = 0; w < count; w++) {
            for (int t = 0; t < window; t++) {
                inputs[w * window + t] = ids[w * window + t];
                targets[w * window + t] = ids[w * window + t + 1];
            }
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(inputs, new Shape(count, window)))
                .optLabels(manager.create(targets, new Shape(count, window)))
                .setSampling(batch, shuffle)
                .build();
    }
}
