package io.github.compressm.ssm.serving;

import ai.djl.MalformedModelException;
import ai.djl.nn.Block;
import io.github.compressm.ssm.generation.JvmStepModel;
import io.github.compressm.ssm.generation.ParameterFile;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads a language model saved by {@link ModelExport} as a {@link JvmStepModel} without a DJL
 * engine: the architecture comes from {@code serving.properties} ({@link SsmBlockFactory}), the
 * parameters from the {@code .params} file read in Java ({@link ParameterFile}), so only DJL's
 * {@code api} artifact and this module need be on the classpath, for example on a small device. The
 * model's {@code vocabulary} entry, read with {@link #vocabulary}, maps characters to ids.
 */
public final class StepModelLoader {

    private StepModelLoader() {}

    /**
     * Loads a saved sequence-to-sequence model for stepping on the JVM.
     *
     * @param modelDir the directory written by {@link ModelExport#save}
     * @return the step model
     * @throws IOException if a file cannot be read
     * @throws MalformedModelException if the parameter file does not match the saved architecture
     * @throws IllegalArgumentException if {@code serving.properties} is missing an entry or
     *     describes a classifier
     */
    public static JvmStepModel load(Path modelDir) throws IOException, MalformedModelException {
        Map<String, String> arguments = arguments(modelDir);
        String architecture = ServingArguments.text(arguments, SsmBlockFactory.ARCHITECTURE);
        if (!SsmBlockFactory.SEQUENCE_TO_SEQUENCE.equals(architecture)) {
            throw new IllegalArgumentException(
                    "only a "
                            + SsmBlockFactory.SEQUENCE_TO_SEQUENCE
                            + " model steps on the JVM, "
                            + modelDir
                            + " holds a "
                            + architecture
                            + ": serve it through Criteria with an engine");
        }
        Block block = SsmBlockFactory.architecture(arguments).buildSequenceToSequence();
        Path file = parameterFile(modelDir, ServingArguments.text(arguments, "modelName"));
        return JvmStepModel.of(block, ParameterFile.read(file, block));
    }

    /**
     * Reads the character vocabulary of a saved language model.
     *
     * @param modelDir the directory written by {@link ModelExport#save}
     * @return the vocabulary
     * @throws IOException if {@code serving.properties} cannot be read
     * @throws IllegalArgumentException if it has no vocabulary
     */
    public static CharVocabulary vocabulary(Path modelDir) throws IOException {
        return CharVocabulary.of(
                ServingArguments.text(arguments(modelDir), CharLmTranslator.VOCABULARY));
    }

    private static Map<String, String> arguments(Path modelDir) throws IOException {
        Path file = modelDir.resolve(ModelExport.SERVING_PROPERTIES);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "no "
                            + ModelExport.SERVING_PROPERTIES
                            + " in "
                            + modelDir
                            + ": save the model with ModelExport.save");
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Map<String, String> arguments = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> arguments.put(k, properties.getProperty(k)));
        return arguments;
    }

    /** The parameter file of the latest epoch, {@code name-NNNN.params}, as DJL's loader picks. */
    private static Path parameterFile(Path modelDir, String name) throws IOException {
        Pattern pattern = Pattern.compile(Pattern.quote(name) + "-(\\d{4})\\.params");
        Path latest = null;
        int epoch = -1;
        try (Stream<Path> files = Files.list(modelDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = pattern.matcher(file.getFileName().toString());
                if (m.matches() && Integer.parseInt(m.group(1)) > epoch) {
                    epoch = Integer.parseInt(m.group(1));
                    latest = file;
                }
            }
        }
        if (latest == null) {
            throw new IllegalArgumentException(
                    "no parameter file " + name + "-NNNN.params in " + modelDir);
        }
        return latest;
    }
}
