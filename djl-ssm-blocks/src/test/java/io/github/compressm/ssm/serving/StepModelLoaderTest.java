package io.github.compressm.ssm.serving;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import io.github.compressm.ssm.CompressedLayers;
import io.github.compressm.ssm.generation.JvmStepModel;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Saved language models loaded for stepping without an engine, in this JVM and in a class loader
 * that holds the library and DJL's {@code api} with its dependencies but no engine.
 */
public class StepModelLoaderTest {

    private static final int VOCABULARY = 7;
    private static final int STEPS = 64;

    private Path dir;
    private final Map<String, float[][]> expected = new HashMap<>();

    @BeforeClass
    public void saveModels() throws IOException {
        dir = Files.createTempDirectory("compressm-loader");
        Engine.getInstance().setRandomSeed(91);
        int[] tokens = tokens();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Object[] family : families()) {
                String name = (String) family[0];
                Map<String, String> properties = properties(name);
                SequentialBlock block =
                        SsmBlockFactory.architecture(properties).buildSequenceToSequence();
                block.initialize(manager, DataType.FLOAT32, new Shape(1, 5));
                // The loader must take the saved size.
                CompressedLayers.cutFirstLayer(block, 3);
                try (Model model = Model.newInstance(name)) {
                    model.setBlock(block);
                    ModelExport.save(model, dir.resolve(name), properties);
                }
                JvmStepModel.Session session = JvmStepModel.of(block).newSession();
                float[][] logits = new float[STEPS][];
                for (int t = 0; t < STEPS; t++) {
                    logits[t] = session.step(tokens[t]).clone();
                }
                expected.put(name, logits);
            }
        }
    }

    @AfterClass(alwaysRun = true)
    public void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @DataProvider
    public static Object[][] families() {
        return new Object[][] {
            {SsmBlockFactory.LRU}, {SsmBlockFactory.S5_FAMILY}, {SsmBlockFactory.MAMBA2}
        };
    }

    @Test(dataProvider = "families")
    public void theSavedFileStepsLikeTheModelInMemory(String family) throws Exception {
        JvmStepModel.Session session = StepModelLoader.load(dir.resolve(family)).newSession();
        int[] tokens = tokens();
        for (int t = 0; t < STEPS; t++) {
            Assert.assertEquals(session.step(tokens[t]), expected.get(family)[t], "step " + t);
        }
        Assert.assertEquals(StepModelLoader.vocabulary(dir.resolve(family)).size(), VOCABULARY);
    }

    @Test(dataProvider = "families")
    public void theSavedFileStepsWithoutAnEngineOnTheClasspath(String family) throws Exception {
        URL[] classpath = {
            location(StepModelLoader.class),
            location(ai.djl.nn.Block.class),
            location(com.google.gson.Gson.class),
            location(com.sun.jna.Native.class),
            location(org.apache.commons.compress.utils.IOUtils.class),
            location(org.slf4j.LoggerFactory.class)
        };
        for (URL url : classpath) {
            Assert.assertFalse(url.toString().contains("pytorch"), url.toString());
        }
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        try (URLClassLoader isolated =
                new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader())) {
            // DJL would look engines up through the context class loader.
            thread.setContextClassLoader(isolated);
            Assert.expectThrows(
                    ClassNotFoundException.class,
                    () -> isolated.loadClass("ai.djl.pytorch.engine.PtEngine"));
            // Had the loader touched DJL's Engine, its initialisation would fail here: this JVM's
            // default engine, PyTorch, is not on the isolated class path.
            Class<?> loader = isolated.loadClass(StepModelLoader.class.getName());
            Object model = loader.getMethod("load", Path.class).invoke(null, dir.resolve(family));
            Object session = model.getClass().getMethod("newSession").invoke(model);
            Method step = session.getClass().getMethod("step", int.class);
            int[] tokens = tokens();
            for (int t = 0; t < STEPS; t++) {
                Assert.assertEquals(
                        (float[]) step.invoke(session, tokens[t]),
                        expected.get(family)[t],
                        "step " + t);
            }
        } finally {
            thread.setContextClassLoader(context);
        }
    }

    @Test
    public void aClassifierIsRefused() throws IOException {
        Path classifier = dir.resolve("classifier");
        Files.createDirectories(classifier);
        Files.writeString(
                classifier.resolve(ModelExport.SERVING_PROPERTIES),
                SsmBlockFactory.ARCHITECTURE + "=" + SsmBlockFactory.CLASSIFIER + "\n");
        IllegalArgumentException e =
                Assert.expectThrows(
                        IllegalArgumentException.class, () -> StepModelLoader.load(classifier));
        Assert.assertTrue(e.getMessage().contains("with an engine"), e.getMessage());
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    private static int[] tokens() {
        return new Random(92).ints(STEPS, 0, VOCABULARY).toArray();
    }

    private static Map<String, String> properties(String family) {
        Map<String, String> p = new HashMap<>();
        p.put(SsmBlockFactory.ARCHITECTURE, SsmBlockFactory.SEQUENCE_TO_SEQUENCE);
        p.put(SsmBlockFactory.SSM, family);
        p.put(SsmBlockFactory.HIDDEN_SIZE, "6");
        p.put(SsmBlockFactory.STATE_SIZE, "6");
        p.put(SsmBlockFactory.LAYERS, "2");
        p.put(SsmBlockFactory.OUTPUTS, Integer.toString(VOCABULARY));
        p.put(SsmBlockFactory.TOKEN_VOCABULARY, Integer.toString(VOCABULARY));
        p.put(CharLmTranslator.VOCABULARY, "abcdefg");
        return p;
    }
}
