package io.github.compressm.ssm.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.github.compressm.ssm.AbstractDiagonalSsm;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.S5;
import io.github.compressm.ssm.SsmModels;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the block of a saved model from the architecture in its {@code serving.properties} (DJL
 * passes that file's entries as arguments): an {@link SsmModels} classifier or sequence-to-sequence
 * model of {@link Lru} or {@link S5} layers with the initial state size; the state sizes reduced in
 * training come back from the parameter file when DJL loads it. {@link ModelExport} writes the
 * file.
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

    /** The key of the SSM family: {@value #LRU} (the default) or {@value #S5_FAMILY}. */
    public static final String SSM = "ssm";

    /** The family of {@link Lru} layers. */
    public static final String LRU = "lru";

    /** The family of {@link S5} layers. */
    public static final String S5_FAMILY = "s5";

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
    public static SsmModels.Builder architecture(Map<String, ?> arguments) {
        AbstractDiagonalSsm.BaseBuilder<?> ssm = ssm(arguments);
        return SsmModels.builder()
                .setHiddenSize(ServingArguments.integer(arguments, HIDDEN_SIZE))
                .setStateSize(ServingArguments.integer(arguments, STATE_SIZE))
                .optSsmFactory(i -> ssm.build())
                .setOutputs(ServingArguments.integer(arguments, OUTPUTS))
                .optLayers(ServingArguments.integer(arguments, LAYERS))
                .optDropout(0f)
                .optTokenVocabulary(ServingArguments.integer(arguments, TOKEN_VOCABULARY));
    }

    /**
     * Returns a builder of the saved model's SSM layers with the initial state size.
     *
     * @param arguments the model's arguments
     * @return the builder
     * @throws IllegalArgumentException if the family is unknown or the state size missing
     */
    public static AbstractDiagonalSsm.BaseBuilder<?> ssm(Map<String, ?> arguments) {
        Object family = arguments.get(SSM);
        AbstractDiagonalSsm.BaseBuilder<?> builder;
        if (family == null || LRU.equals(family.toString().trim())) {
            builder = Lru.builder();
        } else if (S5_FAMILY.equals(family.toString().trim())) {
            builder = S5.builder();
        } else {
            throw new IllegalArgumentException(
                    "serving.properties: '"
                            + SSM
                            + "' must be "
                            + LRU
                            + " or "
                            + S5_FAMILY
                            + ", got "
                            + family);
        }
        return builder.setStateSize(ServingArguments.integer(arguments, STATE_SIZE));
    }
}
