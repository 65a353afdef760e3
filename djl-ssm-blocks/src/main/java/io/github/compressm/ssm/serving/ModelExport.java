package io.github.compressm.ssm.serving;

import ai.djl.Model;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Saves a trained model so that DJL's {@code Criteria} serves it from its directory: the parameters
 * ({@code Model.save}, with the compressed state sizes, named after the directory as DJL's loader
 * expects) and a {@code serving.properties} naming the {@link SsmBlockFactory}, the {@link
 * SsmTranslatorFactory}, the architecture and what the translator needs (the vocabulary of a
 * language model). DJL's model loader builds the block from that file; it looks the translator up
 * before reading the file, so name the factory in the criteria (DJL Serving reads it from the
 * file).
 *
 * <pre>
 * Criteria&lt;String, String&gt; criteria = Criteria.builder()
 *         .setTypes(String.class, String.class)
 *         .optModelPath(dir)
 *         .optTranslatorFactory(new SsmTranslatorFactory())
 *         .build();
 * try (ZooModel&lt;String, String&gt; model = criteria.loadModel();
 *         Predictor&lt;String, String&gt; predictor = model.newPredictor()) {
 *     String continuation = predictor.predict("The ");
 * }
 * </pre>
 */
public final class ModelExport {

    /** The name of the file DJL reads model arguments from. */
    public static final String SERVING_PROPERTIES = "serving.properties";

    private ModelExport() {}

    /**
     * Saves a model and its serving description.
     *
     * @param model the trained model
     * @param dir the directory, created if missing
     * @param properties the architecture and translator entries (see {@link SsmBlockFactory} and
     *     the translators), beside which the model's name and the two factories are written
     * @throws IOException if a file cannot be written
     */
    public static void save(Model model, Path dir, Map<String, String> properties)
            throws IOException {
        Files.createDirectories(dir);
        // DJL's loader looks for parameters named after the directory.
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        model.save(dir, name);
        Properties serving = new Properties();
        serving.putAll(properties);
        serving.setProperty("modelName", name);
        serving.setProperty("blockFactory", SsmBlockFactory.class.getName());
        serving.setProperty("translatorFactory", SsmTranslatorFactory.class.getName());
        try (Writer out =
                Files.newBufferedWriter(dir.resolve(SERVING_PROPERTIES), StandardCharsets.UTF_8)) {
            serving.store(out, "CompreSSM model, served by DJL's Criteria");
        }
    }
}
