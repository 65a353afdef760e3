package io.github.compressm.ssm.serving;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import io.github.compressm.ssm.AbstractDiagonalSsm;
import io.github.compressm.ssm.DiagonalRealization;
import io.github.compressm.ssm.S5;
import io.github.compressm.ssm.SsmModels;
import io.github.compressm.ssm.SsmResidualBlock;
import io.github.compressm.ssm.generation.JvmGenerator;
import io.github.compressm.ssm.generation.JvmStepModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A character model of compressed S5 layers and an LRU classifier, saved with {@link ModelExport}
 * and served through DJL's {@code Criteria} with this module's factories alone.
 */
public class CriteriaServingTest {

    private static final String CHARACTERS = " abcdefghij";
    private static final int STATES = 8;
    private static final int LENGTH = 40;

    private Path dir;
    private NDManager manager;
    private SequentialBlock lm;
    private SequentialBlock classifier;

    @BeforeClass
    public void saveModels() throws IOException {
        Engine.getInstance().setRandomSeed(81);
        dir = Files.createTempDirectory("compressm-criteria");
        manager = NDManager.newBaseManager();
        Map<String, String> lmProperties =
                properties(SsmBlockFactory.SEQUENCE_TO_SEQUENCE, SsmBlockFactory.S5_FAMILY, 11);
        lmProperties.put(CharLmTranslator.VOCABULARY, CHARACTERS);
        lmProperties.put(CharLmTranslator.LENGTH, Integer.toString(LENGTH));
        lm = save("char-lm", SsmBlockFactory.architecture(lmProperties), lmProperties, true);
        Map<String, String> classifierProperties =
                properties(SsmBlockFactory.CLASSIFIER, SsmBlockFactory.LRU, 3);
        classifier =
                save(
                        "classifier",
                        SsmBlockFactory.architecture(classifierProperties),
                        classifierProperties,
                        false);
    }

    @AfterClass(alwaysRun = true)
    public void delete() throws IOException {
        manager.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    public void bothPathsServeTheSavedModelsContinuation() throws Exception {
        CharVocabulary vocabulary = CharVocabulary.of(CHARACTERS);
        String prompt = "a bad cab";
        for (double temperature : new double[] {0, 0.9}) {
            String expected =
                    vocabulary.decode(
                            new JvmGenerator(JvmStepModel.of(lm), temperature, 5)
                                    .continueFrom(vocabulary.encode(prompt), LENGTH));
            for (String path : new String[] {CharLmTranslator.JVM, CharLmTranslator.DJL}) {
                try (ZooModel<String, String> model =
                                languageModel()
                                        .optArgument(CharLmTranslator.GENERATION, path)
                                        .optArgument(CharLmTranslator.TEMPERATURE, temperature)
                                        .optArgument(CharLmTranslator.SEED, 5)
                                        .build()
                                        .loadModel();
                        Predictor<String, String> predictor = model.newPredictor()) {
                    Assert.assertEquals(
                            predictor.predict(prompt), expected, path + " at " + temperature);
                }
            }
        }
    }

    @Test
    public void anUnknownGenerationPathIsAClearError() {
        Criteria<String, String> criteria =
                languageModel().optArgument(CharLmTranslator.GENERATION, "gpu").build();
        Exception e = Assert.expectThrows(Exception.class, criteria::loadModel);
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        Assert.assertTrue(messages.toString().contains("jvm or djl"), messages.toString());
    }

    @Test
    public void theClassifierServesTheSavedModelsProbabilities() throws Exception {
        float[] tokens = {1, 2, 0, 2, 1};
        float[] logits =
                classifier
                        .forward(
                                new ParameterStore(manager, false),
                                new NDList(
                                        manager.create(
                                                new long[] {1, 2, 0, 2, 1}, new Shape(1, 5))),
                                false)
                        .singletonOrThrow()
                        .softmax(-1)
                        .toFloatArray();
        Criteria<float[], Classifications> criteria =
                Criteria.builder()
                        .setTypes(float[].class, Classifications.class)
                        .optModelPath(dir.resolve("classifier"))
                        .optTranslatorFactory(new SsmTranslatorFactory())
                        .build();
        try (ZooModel<float[], Classifications> model = criteria.loadModel();
                Predictor<float[], Classifications> predictor = model.newPredictor()) {
            Classifications result = predictor.predict(tokens);
            for (int c = 0; c < logits.length; c++) {
                Assert.assertEquals(
                        result.get(Integer.toString(c)).getProbability(), logits[c], 1e-5);
            }
        }
    }

    private Criteria.Builder<String, String> languageModel() {
        return Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(dir.resolve("char-lm"))
                .optTranslatorFactory(new SsmTranslatorFactory());
    }

    private static Map<String, String> properties(String architecture, String ssm, int outputs) {
        Map<String, String> p = new HashMap<>();
        p.put(SsmBlockFactory.ARCHITECTURE, architecture);
        p.put(SsmBlockFactory.SSM, ssm);
        p.put(SsmBlockFactory.HIDDEN_SIZE, "8");
        p.put(SsmBlockFactory.STATE_SIZE, Integer.toString(STATES));
        p.put(SsmBlockFactory.LAYERS, "2");
        p.put(SsmBlockFactory.OUTPUTS, Integer.toString(outputs));
        p.put(SsmBlockFactory.TOKEN_VOCABULARY, "11");
        return p;
    }

    /**
     * Builds, initialises and saves a model; a compressed one has its first layer cut to half its
     * states, so the served model must take the saved size.
     */
    private SequentialBlock save(
            String name, SsmModels.Builder architecture, Map<String, String> props, boolean lm)
            throws IOException {
        SequentialBlock block =
                lm ? architecture.buildSequenceToSequence() : architecture.buildClassifier();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 6));
        if (lm) {
            AbstractDiagonalSsm first =
                    (AbstractDiagonalSsm)
                            ((SsmResidualBlock) block.getChildren().get(1).getValue()).getSsm();
            Assert.assertTrue(first instanceof S5);
            DiagonalRealization r = first.getRealization();
            int keep = STATES / 2;
            first.setRealization(
                    new DiagonalRealization(
                            Arrays.copyOf(r.getLambdaRe(), keep),
                            Arrays.copyOf(r.getLambdaIm(), keep),
                            Arrays.copyOf(r.getBRe(), keep),
                            Arrays.copyOf(r.getBIm(), keep),
                            columns(r.getCRe(), keep),
                            columns(r.getCIm(), keep)));
        }
        try (Model model = Model.newInstance(name)) {
            model.setBlock(block);
            ModelExport.save(model, dir.resolve(name), props);
        }
        return block;
    }

    private static double[][] columns(double[][] rows, int keep) {
        return Arrays.stream(rows).map(row -> Arrays.copyOf(row, keep)).toArray(double[][]::new);
    }
}
