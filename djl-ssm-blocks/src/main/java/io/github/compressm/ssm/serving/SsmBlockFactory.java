package io.github.compressm.ssm.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.Mamba2;
import io.github.compressm.ssm.S5;
import io.github.compressm.ssm.SsmModels;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the block of a saved model from the architecture in its {@code serving.properties} (DJL
 * passes that file's entries as arguments): an {@link SsmModels} classifier or sequence-to-sequence
 * model of {@link Lru}, {@link S5} or {@link Mamba2} layers with the initial state size; the state
 * sizes reduced in training (and a Mamba-2 layer's expansion, head dimension and kernel) come back
 * from the parameter file when DJL loads it. {@link ModelExport} writes the file.
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

    /**
     * The key of the SSM family: {@value #LRU} (the default), {@value #S5_FAMILY} or {@value
     * #MAMBA2}.
     */
    public static final String SSM = "ssm";

    /** The family of {@link Lru} layers. */
    public static final String LRU = "lru";

    /** The family of {@link S5} layers. */
    public static final String S5_FAMILY = "s5";

    /** The family of {@link Mamba2} layers. */
    public static final String MAMBA2 = "mamba2";

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
     * @throws IllegalArgumentException if an entry is missing or not a number, or the family is
     *     unknown
     */
    public static SsmModels.Builder architecture(Map<String, ?> arguments) {
        Supplier<Block> ssm = ssmLayers(arguments, false);
        return SsmModels.builder()
                .setHiddenSize(ServingArguments.integer(arguments, HIDDEN_SIZE))
                .setStateSize(ServingArguments.integer(arguments, STATE_SIZE))
                .optSsmFactory(i -> ssm.get())
                .setOutputs(ServingArguments.integer(arguments, OUTPUTS))
                .optLayers(ServingArguments.integer(arguments, LAYERS))
                .optDropout(0f)
                .optTokenVocabulary(ServingArguments.integer(arguments, TOKEN_VOCABULARY));
    }

    /**
     * Returns what builds the saved model's SSM layers: new layers of its family with the initial
     * state size and the family's default settings, which loading the parameters replaces with the
     * saved ones.
     *
     * @param arguments the model's arguments
     * @param returnState whether the layers return their states after their output, as the stepping
     *     copy of a language model needs ({@link
     *     io.github.compressm.ssm.generation.DjlGenerator#steppingCopy})
     * @return a supplier of one new layer per call
     * @throws IllegalArgumentException if the family is unknown or the state size missing
     */
    public static Supplier<Block> ssmLayers(Map<String, ?> arguments, boolean returnState) {
        int stateSize = ServingArguments.integer(arguments, STATE_SIZE);
        Object family = arguments.get(SSM);
        String name = family == null ? LRU : family.toString().trim();
        switch (name) {
            case LRU:
                return () ->
                        Lru.builder().setStateSize(stateSize).optReturnState(returnState).build();
            case S5_FAMILY:
                return () ->
                        S5.builder().setStateSize(stateSize).optReturnState(returnState).build();
            case MAMBA2:
                return () ->
                        Mamba2.builder()
                                .setStateSize(stateSize)
                                .optReturnState(returnState)
                                .build();
            default:
                throw new IllegalArgumentException(
                        "serving.properties: '"
                                + SSM
                                + "' must be "
                                + LRU
                                + ", "
                                + S5_FAMILY
                                + " or "
                                + MAMBA2
                                + ", got "
                                + family);
        }
    }
}
