package io.github.compressm.ssm.generation;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import io.github.compressm.ssm.SsmResidualBlock;
import io.github.compressm.ssm.TokenEmbedding;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A trained token model stepped on the JVM: the model's parameters read once into float arrays, and
 * each step a few loops over them, without an engine call and without allocating: a session holds
 * its states and working memory, the matrix products run as loops the JIT compiles to vector
 * instructions, and the activations come from tables. A step costs its arithmetic, free of the
 * per-operation dispatch that dominates a {@link DjlGenerator} step at batch 1, so it falls with
 * the state size of a compressed model.
 *
 * <p><b>Supported graphs.</b> The sequence-to-sequence token models of {@link
 * io.github.compressm.ssm.SsmModels}: a {@link SequentialBlock} of a {@link TokenEmbedding}, one or
 * more {@link SsmResidualBlock} layers and a {@link Linear} head, at inference (dropout is the
 * identity), one sequence at a time, in float precision. Every layer's SSM needs a {@link
 * StepKernel}: the built-in ones cover the diagonal layers ({@link io.github.compressm.ssm.Lru},
 * {@link io.github.compressm.ssm.S5}: {@link DiagonalStepKernel}) and {@link
 * io.github.compressm.ssm.Mamba2} ({@link Mamba2StepKernel}), and other families add theirs as a
 * {@link StepKernelFactory}. Any other graph (a classifier, a linear encoder, another layer) is
 * refused with a message naming the fallback, {@link DjlGenerator}, which runs any model, on any
 * device and in batches. The logits equal those of the model's forward pass to float round-off.
 *
 * <p>The model is immutable and may be shared between threads; each sequence runs in its own {@link
 * Session}.
 */
public final class JvmStepModel {

    private static final String FALLBACK =
            "generate with the DJL engine instead: DjlGenerator, or the char-LM translator's"
                    + " argument generation=djl";

    private final int vocabulary;
    private final int features;
    private final float[] embedding;
    private final List<ResidualStep> layers;

    /** {@code head[i][v]}: feature {@code i} to logit {@code v}. */
    private final float[][] head;

    private final float[] headBias;

    JvmStepModel(
            float[] embedding,
            int vocabulary,
            List<ResidualStep> layers,
            float[] headWeight,
            float[] headBias) {
        this.vocabulary = vocabulary;
        this.features = layers.get(0).ssm().features();
        if (embedding.length != vocabulary * features
                || headWeight.length != vocabulary * features
                || headBias.length != vocabulary) {
            throw new IllegalArgumentException(
                    "embedding and head must be "
                            + vocabulary
                            + "x"
                            + features
                            + " (vocabulary x features), got "
                            + embedding.length
                            + " and "
                            + headWeight.length
                            + " entries");
        }
        for (ResidualStep layer : layers) {
            if (layer.ssm().features() != features) {
                throw new IllegalArgumentException(
                        "every layer must have " + features + " features");
            }
        }
        this.embedding = embedding.clone();
        this.layers = List.copyOf(layers);
        this.head = FloatLoops.columns(headWeight, features, 0, vocabulary);
        this.headBias = headBias.clone();
    }

    /**
     * Reads a trained model's parameters into a step model.
     *
     * @param model the trained sequence-to-sequence token model, initialised
     * @return the step model
     * @throws UnsupportedOperationException if the graph is not supported (the message names the
     *     part and the fallback)
     */
    public static JvmStepModel of(Block model) {
        return of(model, ParameterValues.ofArrays());
    }

    /**
     * Reads a model's parameters into a step model from a source of values, such as a saved
     * parameter file read without an engine ({@link ParameterFile}).
     *
     * @param model the model's block tree, initialised or with its metadata loaded
     * @param values where the parameter values are read from
     * @return the step model
     * @throws UnsupportedOperationException if the graph is not supported (the message names the
     *     part and the fallback)
     */
    public static JvmStepModel of(Block model, ParameterValues values) {
        if (!(model instanceof SequentialBlock)) {
            throw unsupported("the model is a " + model.getClass().getSimpleName());
        }
        List<Block> children = model.getChildren().values();
        if (children.size() < 3
                || !(children.get(0) instanceof TokenEmbedding)
                || !(children.get(children.size() - 1) instanceof Linear)) {
            throw unsupported(
                    "the model is not TokenEmbedding, SsmResidualBlock layers, Linear head: "
                            + describe(children));
        }
        List<StepKernelFactory> factories = factories();
        List<ResidualStep> layers = new ArrayList<>();
        for (Block child : children.subList(1, children.size() - 1)) {
            if (!(child instanceof SsmResidualBlock)) {
                throw unsupported(
                        "a layer is a "
                                + child.getClass().getSimpleName()
                                + ", not an SsmResidualBlock: "
                                + describe(children));
            }
            layers.add(residual((SsmResidualBlock) child, factories, values));
        }
        Block head = children.get(children.size() - 1);
        if (head.getParameters().get("bias") == null) {
            throw unsupported("the head is a Linear without bias");
        }
        float[] headBias = values.get(head.getParameters().get("bias"));
        return new JvmStepModel(
                values.get(children.get(0).getParameters().get("embedding")),
                headBias.length,
                layers,
                values.get(head.getParameters().get("weight")),
                headBias);
    }

    /**
     * Returns the number of token ids, the size of the logits.
     *
     * @return the vocabulary size
     */
    public int vocabularySize() {
        return vocabulary;
    }

    /**
     * Returns the residual layers' feature size.
     *
     * @return the features
     */
    public int features() {
        return features;
    }

    /**
     * Starts a sequence, at zero states.
     *
     * @return a new session
     */
    public Session newSession() {
        return new Session();
    }

    private static ResidualStep residual(
            SsmResidualBlock layer, List<StepKernelFactory> factories, ParameterValues values) {
        List<Block> parts = layer.getChildren().values();
        Block norm = parts.get(0);
        Block ssm = layer.getSsm();
        Block glu = parts.get(parts.size() - 1);
        if (!(norm instanceof LayerNorm)
                || norm.getParameters().get("gamma") == null
                || norm.getParameters().get("beta") == null) {
            throw unsupported("a residual layer's norm is not a LayerNorm with scale and shift");
        }
        StepKernel kernel = null;
        for (StepKernelFactory factory : factories) {
            Optional<StepKernel> made = factory.create(ssm, values);
            if (made.isPresent()) {
                kernel = made.get();
                break;
            }
        }
        if (kernel == null) {
            throw unsupported(
                    "no StepKernelFactory handles the SSM block "
                            + ssm.getClass().getName()
                            + " (a family adds its step under META-INF/services/"
                            + StepKernelFactory.class.getName()
                            + ")");
        }
        Block linear = glu.getChildren().values().get(0);
        return new ResidualStep(
                values.get(norm.getParameters().get("gamma")),
                values.get(norm.getParameters().get("beta")),
                SsmResidualBlock.NORM_EPSILON,
                kernel,
                values.get(linear.getParameters().get("weight")),
                values.get(linear.getParameters().get("bias")));
    }

    private static List<StepKernelFactory> factories() {
        List<StepKernelFactory> factories = new ArrayList<>();
        factories.add(DiagonalStepKernel.FACTORY);
        factories.add(Mamba2StepKernel.FACTORY);
        ServiceLoader.load(StepKernelFactory.class).forEach(factories::add);
        return factories;
    }

    private static String describe(List<Block> children) {
        StringBuilder sb = new StringBuilder("[");
        for (Block child : children) {
            sb.append(sb.length() > 1 ? ", " : "").append(child.getClass().getSimpleName());
        }
        return sb.append(']').toString();
    }

    private static UnsupportedOperationException unsupported(String why) {
        return new UnsupportedOperationException(
                "The JVM step path cannot run this model (" + why + "); " + FALLBACK);
    }

    /** One sequence: the states of the layers, advanced one token at a time. */
    public final class Session {

        private final float[] x = new float[features];
        private final float[] logits = new float[vocabulary];
        private final StepKernel.Stepper[] steppers = new StepKernel.Stepper[layers.size()];
        private final ResidualStep.Scratch scratch = new ResidualStep.Scratch(features);

        private Session() {
            for (int l = 0; l < steppers.length; l++) {
                steppers[l] = layers.get(l).ssm().newStepper();
            }
        }

        /**
         * Feeds one token and returns the logits of the next.
         *
         * @param token the token id, in {@code [0, vocabularySize())}
         * @return the logits, an array of this session overwritten by the next step
         * @throws IllegalArgumentException if the id is out of range
         */
        public float[] step(int token) {
            if (token < 0 || token >= vocabulary) {
                throw new IllegalArgumentException(
                        "token id " + token + " is not in [0, " + vocabulary + ")");
            }
            System.arraycopy(embedding, token * features, x, 0, features);
            for (int l = 0; l < steppers.length; l++) {
                layers.get(l).step(steppers[l], x, scratch);
            }
            System.arraycopy(headBias, 0, logits, 0, vocabulary);
            FloatLoops.addProduct(head, x, 0, logits, vocabulary);
            return logits;
        }
    }
}
