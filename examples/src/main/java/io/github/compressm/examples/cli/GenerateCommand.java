package io.github.compressm.examples.cli;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.github.compressm.examples.training.DataUnavailableException;
import io.github.compressm.ssm.serving.CharLmTranslator;
import io.github.compressm.ssm.serving.ModelExport;
import io.github.compressm.ssm.serving.SsmTranslatorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: loads a character language model saved by {@code char-lm --save-model DIR}
 * through DJL's {@code Criteria} and prints a continuation of a prompt, generated step by step with
 * the SSM states carried, on the JVM path or the DJL path of {@link CharLmTranslator}.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Continues a prompt with a character language model saved by char-lm --save-model DIR."
        })
public class GenerateCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "The directory written by char-lm --save-model.")
    Path model;

    @Option(names = "--prompt", required = true, description = "The text to continue.")
    String prompt;

    @Option(
            names = "--length",
            description =
                    "Characters to generate (default: the model's, 200 unless saved otherwise).")
    Integer length;

    @Option(
            names = "--temperature",
            description = "Sampling temperature, 0 for greedy (default: the model's).")
    Double temperature;

    @Option(names = "--seed", description = "Sampling seed (default: 42).")
    Long seed;

    @Option(
            names = "--generation",
            description =
                    "How a step runs: jvm (plain JVM loops over the parameters, the default) or djl"
                            + " (the DJL engine's forward pass).")
    String generation;

    /**
     * Loads the model and prints the continuation.
     *
     * @return 0 on success
     * @throws Exception if the model cannot be loaded or the prompt not encoded
     */
    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model.resolve(ModelExport.SERVING_PROPERTIES))) {
            throw new DataUnavailableException(
                    "no saved model in "
                            + model
                            + " (its "
                            + ModelExport.SERVING_PROPERTIES
                            + " is missing): train one with char-lm --save-model "
                            + model);
        }
        Criteria.Builder<String, String> criteria =
                Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optModelPath(model)
                        .optTranslatorFactory(new SsmTranslatorFactory());
        if (length != null) {
            criteria.optArgument(CharLmTranslator.LENGTH, length);
        }
        if (temperature != null) {
            criteria.optArgument(CharLmTranslator.TEMPERATURE, temperature);
        }
        if (seed != null) {
            criteria.optArgument(CharLmTranslator.SEED, seed);
        }
        if (generation != null) {
            criteria.optArgument(CharLmTranslator.GENERATION, generation);
        }
        try (ZooModel<String, String> loaded = criteria.build().loadModel();
                Predictor<String, String> predictor = loaded.newPredictor()) {
            spec.commandLine().getOut().println(prompt + predictor.predict(prompt));
            spec.commandLine().getOut().flush();
        } catch (TranslateException e) {
            // A prompt the model cannot read: the message says why, no stack trace needed.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return 0;
    }
}
