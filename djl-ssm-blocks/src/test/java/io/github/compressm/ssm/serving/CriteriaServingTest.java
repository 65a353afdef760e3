package io.github.compressm.ssm.serving;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.Translator;
import io.github.compressm.ssm.CompressedLayers;
import io.github.compressm.ssm.Mamba2;
import io.github.compressm.ssm.S5;
import io.github.compressm.ssm.SsmModels;
import io.github.compressm.ssm.SsmResidualBlock;
import io.github.compressm.ssm.generation.JvmGenerator;
import io.github.compressm.ssm.generation.JvmStepModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Character models of compressed S5 and Mamba-2 layers and an LRU classifier, saved with {@link
 * ModelExport} and served through DJL's {@code Criteria} with this module's factories alone.
 */
public class CriteriaServingTest {

    private static final String CHARACTERS = " abcdefghij";
    private static final int STATES = 8;
    private static final int LENGTH = 40;

    private Path dir;
    private NDManager manager;
    private final Map<String, SequentialBlock> languageModels = new HashMap<>();
    private SequentialBlock classifier;

    @BeforeClass
    public void saveModels() throws IOException {
        Engine.getInstance().setRandomSeed(81);
        dir = Files.createTempDirectory("compressm-criteria");
        manager = NDManager.newBaseManager();
        for (String family : new String[] {SsmBlockFactory.S5_FAMILY, SsmBlockFactory.MAMBA2}) {
            Map<String, String> lmProperties =
                    properties(SsmBlockFactory.SEQUENCE_TO_SEQUENCE, family, 11);
            lmProperties.put(CharLmTranslator.VOCABULARY, CHARACTERS);
            lmProperties.put(CharLmTranslator.LENGTH, Integer.toString(LENGTH));
            languageModels.put(
                    family,
                    save(
                            family + "-lm",
                            SsmBlockFactory.architecture(lmProperties),
                            lmProperties,
                            true));
        }
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

    @DataProvider
    public static Object[][] families() {
        return new Object[][] {{SsmBlockFactory.S5_FAMILY}, {SsmBlockFactory.MAMBA2}};
    }

    @Test(dataProvider = "families")
    public void bothPathsServeTheSavedModelsContinuation(String family) throws Exception {
        SequentialBlock lm = languageModels.get(family);
        CharVocabulary vocabulary = CharVocabulary.of(CHARACTERS);
        String prompt = "a bad cab";
        for (double temperature : new double[] {0, 0.9}) {
            String expected =
                    vocabulary.decode(
                            new JvmGenerator(JvmStepModel.of(lm), temperature, 5)
                                    .continueFrom(vocabulary.encode(prompt), LENGTH));
            for (String path : new String[] {CharLmTranslator.JVM, CharLmTranslator.DJL}) {
                try (ZooModel<String, String> model =
                                languageModel(family)
                                        .optArgument(CharLmTranslator.GENERATION, path)
                                        .optArgument(CharLmTranslator.TEMPERATURE, temperature)
                                        .optArgument(CharLmTranslator.SEED, 5)
                                        .build()
                                        .loadModel();
                        Predictor<String, String> predictor = model.newPredictor()) {
                    Assert.assertEquals(
                            predictor.predict(prompt),
                            expected,
                            family + " on " + path + " at " + temperature);
                }
            }
        }
    }

    @Test
    public void aRequestSkipsThePredictorsForwardPass() throws Exception {
        // DJL's predictor runs no forward pass on an empty input: a request costs its steps only.
        try (ZooModel<String, String> model =
                        languageModel(SsmBlockFactory.S5_FAMILY)
                                .optArgument(CharLmTranslator.TEMPERATURE, 0)
                                .build()
                                .loadModel();
                Predictor.PredictorContext context =
                        new Predictor.PredictorContext(model, manager, null)) {
            Translator<String, String> translator = model.getTranslator();
            translator.prepare(context);
            Assert.assertTrue(translator.processInput(context, "a bad cab").isEmpty());
            CharVocabulary vocabulary = CharVocabulary.of(CHARACTERS);
            String expected =
                    vocabulary.decode(
                            new JvmGenerator(
                                            JvmStepModel.of(
                                                    languageModels.get(SsmBlockFactory.S5_FAMILY)),
                                            0,
                                            0)
                                    .continueFrom(vocabulary.encode("a bad cab"), LENGTH));
            Assert.assertEquals(translator.processOutput(context, new NDList()), expected);
        }
    }

    @Test
    public void anUnknownGenerationPathIsAClearError() {
        Criteria<String, String> criteria =
                languageModel(SsmBlockFactory.S5_FAMILY)
                        .optArgument(CharLmTranslator.GENERATION, "gpu")
                        .build();
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

    private Criteria.Builder<String, String> languageModel(String family) {
        return Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(dir.resolve(family + "-lm"))
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
            Block first = ((SsmResidualBlock) block.getChildren().get(1).getValue()).getSsm();
            Assert.assertTrue(first instanceof S5 || first instanceof Mamba2, first.toString());
            CompressedLayers.cutFirstLayer(block, STATES / 2);
        }
        try (Model model = Model.newInstance(name)) {
            model.setBlock(block);
            ModelExport.save(model, dir.resolve(name), props);
        }
        return block;
    }
}
