package io.github.compressm.examples;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.github.compressm.examples.report.RunReport;
import io.github.compressm.examples.tasks.listops.ListOpsSpec;
import io.github.compressm.examples.tasks.listops.ListOpsTask;
import io.github.compressm.examples.tasks.text.CharLmSpec;
import io.github.compressm.examples.tasks.text.CharLmTask;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.examples.training.SsmLayers;
import io.github.compressm.examples.training.TrainingRunner;
import io.github.compressm.listener.CompressionSettings;
import io.github.compressm.ssm.serving.CharLmTranslator;
import io.github.compressm.ssm.serving.SsmTranslatorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A compressed character language model and a compressed ListOps classifier, trained and saved with
 * {@code --save-model}, served through DJL's {@code Criteria} from their directories alone.
 */
public class ServingTest {

    private static final long SEED = 5;
    private static final int SAMPLE = 24;
    private static final double TEMPERATURE = 0.7;

    private Path dir;
    private Path lmDir;
    private Path classifierDir;
    private RunReport lm;
    private RunReport classifier;

    @BeforeClass
    public void trainAndSave() throws IOException {
        dir = Files.createTempDirectory("compressm-serving");
        Path text = dir.resolve("text.txt");
        TestTexts.writeWords(text);
        lmDir = dir.resolve("char-lm");
        lm =
                TrainingRunner.run(
                        new CharLmTask(new CharLmSpec(text, 32, 0.1, SAMPLE, TEMPERATURE)),
                        config(2, lmDir));
        classifierDir = dir.resolve("listops");
        classifier =
                TrainingRunner.run(
                        new ListOpsTask(new ListOpsSpec(3, 3, 8, 32, 96, 16)),
                        config(2, classifierDir));
    }

    @AfterClass(alwaysRun = true)
    public void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    public void theSavedLanguageModelIsCompressed() {
        Assert.assertTrue(
                lm.finalStateSizes().get(0) < lm.initialStateSizes().get(0),
                "sizes " + lm.initialStateSizes() + " -> " + lm.finalStateSizes());
    }

    @Test
    public void criteriaServesTheCompressedLanguageModelLikeTheTrainedOne() throws Exception {
        // Same prompt, temperature and seed as the sample drawn from the trained model in process.
        String prompt = (String) lm.details().get("prompt");
        try (ZooModel<String, String> model = languageModel().build().loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            Assert.assertEquals(SsmLayers.stateSizes(model.getBlock()), lm.finalStateSizes());
            Assert.assertEquals(predictor.predict(prompt), lm.details().get("sample"));
            Assert.assertEquals(predictor.predict(prompt), lm.details().get("sample"));
        }
    }

    @Test
    public void aPromptWithAnUnknownCharacterIsAClearError() throws Exception {
        try (ZooModel<String, String> model = languageModel().build().loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            TranslateException e =
                    Assert.expectThrows(TranslateException.class, () -> predictor.predict("the €"));
            Assert.assertTrue(e.getMessage().contains("never saw in training"), e.getMessage());
        }
    }

    @Test
    public void wrongTypesAreAClearError() {
        Criteria<float[], Classifications> criteria =
                Criteria.builder()
                        .setTypes(float[].class, Classifications.class)
                        .optModelPath(lmDir)
                        .optTranslatorFactory(new SsmTranslatorFactory())
                        .build();
        Exception e = Assert.expectThrows(Exception.class, criteria::loadModel);
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        Assert.assertTrue(messages.toString().contains("serves String -> String"), messages + "");
    }

    @Test
    public void criteriaServesTheCompressedClassifier() throws Exception {
        Criteria<float[], Classifications> criteria =
                Criteria.builder()
                        .setTypes(float[].class, Classifications.class)
                        .optModelPath(classifierDir)
                        .optTranslatorFactory(new SsmTranslatorFactory())
                        .build();
        float[] expression = {1, 2, 3, 4, 5, 6, 7, 8};
        try (ZooModel<float[], Classifications> model = criteria.loadModel();
                Predictor<float[], Classifications> predictor = model.newPredictor()) {
            Assert.assertEquals(
                    SsmLayers.stateSizes(model.getBlock()), classifier.finalStateSizes());
            List<Classifications.Classification> all = predictor.predict(expression).items();
            Assert.assertEquals(all.size(), 10);
            double sum =
                    all.stream().mapToDouble(Classifications.Classification::getProbability).sum();
            Assert.assertEquals(sum, 1.0, 1e-4);
            TranslateException e =
                    Assert.expectThrows(
                            TranslateException.class, () -> predictor.predict(new float[] {0.5f}));
            Assert.assertTrue(e.getMessage().contains("not a token id"), e.getMessage());
        }
    }

    private Criteria.Builder<String, String> languageModel() {
        return Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(lmDir)
                .optTranslatorFactory(new SsmTranslatorFactory())
                .optArgument(CharLmTranslator.SEED, SEED);
    }

    private static RunConfig config(int epochs, Path saveDir) {
        return RunConfig.builder()
                .optStateSize(16)
                .optHiddenSize(16)
                .optEpochs(epochs)
                .optBatchSize(16)
                .optLearningRate(3e-3f)
                .optSeed(SEED)
                .optCompressionSettings(
                        CompressionSettings.builder()
                                .optTolerance(0.3)
                                .optWarmupFraction(0.5)
                                .optSeed(SEED)
                                .build())
                .optSaveModelDir(saveDir)
                .build();
    }
}
