package io.github.compressm.ssm.serving;

import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Classifies one sequence with a saved SSM classifier: one value per time step in, the classes'
 * probabilities out (named {@code "0"}, {@code "1"}, ...). With a token vocabulary (ListOps) the
 * values are token ids; otherwise they are the model's single input feature per step (the pixels of
 * a sequential image).
 */
public class SequenceClassifierTranslator
        implements NoBatchifyTranslator<float[], Classifications> {

    private final int tokenVocabulary;
    private final List<String> classes;

    /**
     * Creates the translator from a saved model's arguments.
     *
     * @param arguments the entries of {@code serving.properties}
     * @throws IllegalArgumentException if an entry is missing
     */
    public SequenceClassifierTranslator(Map<String, ?> arguments) {
        this.tokenVocabulary =
                ServingArguments.integer(arguments, SsmBlockFactory.TOKEN_VOCABULARY);
        int outputs = ServingArguments.integer(arguments, SsmBlockFactory.OUTPUTS);
        classes = new ArrayList<>(outputs);
        for (int i = 0; i < outputs; i++) {
            classes.add(Integer.toString(i));
        }
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, float[] sequence) throws TranslateException {
        if (sequence == null || sequence.length == 0) {
            throw new TranslateException("The sequence must hold at least one step");
        }
        NDManager manager = ctx.getNDManager();
        if (tokenVocabulary == 0) {
            return new NDList(manager.create(sequence, new Shape(1, sequence.length, 1)));
        }
        long[] ids = new long[sequence.length];
        for (int t = 0; t < ids.length; t++) {
            ids[t] = (long) sequence[t];
            if (ids[t] != sequence[t] || ids[t] < 0 || ids[t] >= tokenVocabulary) {
                throw new TranslateException(
                        "Step "
                                + t
                                + " holds "
                                + sequence[t]
                                + ", not a token id in [0, "
                                + tokenVocabulary
                                + ")");
            }
        }
        return new NDList(manager.create(ids, new Shape(1, ids.length)));
    }

    /** {@inheritDoc} */
    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list) {
        NDArray probabilities = list.singletonOrThrow().get(0).softmax(-1);
        return new Classifications(classes, probabilities);
    }
}
