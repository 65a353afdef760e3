package io.github.compressm.ssm.serving;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;

/**
 * Creates the translator of a saved example model: {@code String -> String} ({@link
 * CharLmTranslator}) for a character language model, {@code float[] -> Classifications} ({@link
 * SequenceClassifierTranslator}) for a sequence classifier.
 */
public class SsmTranslatorFactory implements TranslatorFactory {

    /** {@inheritDoc} */
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(
                new Pair<>(String.class, String.class),
                new Pair<>(float[].class, Classifications.class));
    }

    /** {@inheritDoc} */
    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        String architecture = ServingArguments.text(arguments, SsmBlockFactory.ARCHITECTURE);
        boolean languageModel = SsmBlockFactory.SEQUENCE_TO_SEQUENCE.equals(architecture);
        if (languageModel && input == String.class && output == String.class) {
            return (Translator<I, O>) new CharLmTranslator(arguments);
        }
        if (!languageModel && input == float[].class && output == Classifications.class) {
            return (Translator<I, O>) new SequenceClassifierTranslator(arguments);
        }
        throw new TranslateException(
                "A saved "
                        + architecture
                        + " model serves "
                        + (languageModel ? "String -> String" : "float[] -> Classifications")
                        + ", not "
                        + input.getSimpleName()
                        + " -> "
                        + output.getSimpleName()
                        + ": set these types in Criteria.builder().setTypes(...)");
    }
}
