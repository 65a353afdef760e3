package io.github.compressm.examples.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.github.compressm.ssm.SsmModels;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the block of a saved example model from the architecture in its {@code serving.properties}
 * (DJL passes that file's entries as arguments): an {@link SsmModels} classifier or
 * sequence-to-sequence model with the initial state size; the state sizes reduced in training come
 * back from the parameter file when DJL loads it.
 */
public class SsmBlockFactory implements BlockFactory {

    /** The key of the architecture: {@value #CLASSIFIER} or {@value #SEQUENCE_TO_SEQUENCE}. */
    public static final String ARCHITECTURE = "architecture";

    /** The architecture of a sequence classifier. */
    public static final String CLASSIFIER = "classifier";

    /** The architecture of a per-step model, such as a character language model. */
    public static final String SEQUENCE_TO_SEQUENCE = "sequence-to-sequence";

    /** The key of the residual layers' feature size. */
    public static final String HIDDEN_SIZE = "hiddenSize";

    /** The key of the state size the model was built with before compression. */
    public static final String STATE_SIZE = "stateSize";

    /** The key of the number of residual SSM layers. */
    public static final String LAYERS = "layers";

    /** The key of the number of outputs (classes, or characters). */
    public static final String OUTPUTS = "outputs";

    /** The key of the token vocabulary size, 0 for real-valued inputs. */
    public static final String TOKEN_VOCABULARY = "tokenVocabulary";

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        String architecture = ServingArguments.text(arguments, ARCHITECTURE);
        SsmModels.Builder builder = architecture(arguments);
        switch (architecture) {
            case CLASSIFIER:
                return builder.buildClassifier();
            case SEQUENCE_TO_SEQUENCE:
                return builder.buildSequenceToSequence();
            default:
                throw new IllegalArgumentException(
                        "serving.properties in "
                                + modelPath
                                + ": "
                                + ARCHITECTURE
                                + " must be "
                                + CLASSIFIER
                                + " or "
                                + SEQUENCE_TO_SEQUENCE
                                + ", got "
                                + architecture);
        }
    }

    /**
     * Returns a builder of the saved architecture, without dropout (inference).
     *
     * @param arguments the model's arguments
     * @return the builder
     * @throws IllegalArgumentException if an entry is missing or not a number
     */
    static SsmModels.Builder architecture(Map<String, ?> arguments) {
        return SsmModels.builder()
                .setHiddenSize(ServingArguments.integer(arguments, HIDDEN_SIZE))
                .setStateSize(ServingArguments.integer(arguments, STATE_SIZE))
                .setOutputs(ServingArguments.integer(arguments, OUTPUTS))
                .optLayers(ServingArguments.integer(arguments, LAYERS))
                .optDropout(0f)
                .optTokenVocabulary(ServingArguments.integer(arguments, TOKEN_VOCABULARY));
    }
}
