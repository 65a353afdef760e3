package io.github.compressm.ssm.serving;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import io.github.compressm.ssm.generation.DjlGenerator;
import io.github.compressm.ssm.generation.JvmGenerator;
import io.github.compressm.ssm.generation.JvmStepModel;
import io.github.compressm.ssm.generation.TokenGenerator;
import java.util.Locale;
import java.util.Map;

/**
 * Continues a prompt with a saved character language model: prompt in, continuation out.
 *
 * <p>A DJL predictor makes one forward pass of the model per request, which cannot carry the SSM
 * states from step to step; {@link #processInput} therefore hands the predictor an empty {@link
 * NDList}, on which it skips the forward pass, and the continuation is generated in {@link
 * #processOutput}, reading the whole prompt once and then one character per step, so each character
 * costs one step of the model and a request no pass of the whole model on the engine. The argument
 * {@value #GENERATION} chooses how a step runs:
 *
 * <ul>
 *   <li>{@value #JVM} (the default): a {@link JvmStepModel}, the model's parameters read once into
 *       float arrays and stepped by plain JVM loops, a cost that follows the state size; it runs
 *       the char-LM graph of {@link SsmBlockFactory} with {@code Lru}, {@code S5} or {@code Mamba2}
 *       layers, and refuses other graphs with a message naming the fallback;
 *   <li>{@value #DJL}: a {@link DjlGenerator} on a stepping copy of the model (its SSM layers
 *       return their states), the engine's own forward pass, on the model's device.
 * </ul>
 *
 * Both give the same continuation up to float round-off (identical greedy ones in practice). The
 * stepping form is built once, in {@link #prepare}. Generation settings come from the model's
 * arguments ({@code serving.properties}, or {@code Criteria.optArgument}): {@value #LENGTH}
 * characters (default 200), {@value #TEMPERATURE} (default 0.7, 0 is greedy) and {@value #SEED}
 * (default 42; each request starts from it, so equal prompts give equal continuations).
 */
public class CharLmTranslator implements NoBatchifyTranslator<String, String> {

    /** The key of the characters, in id order. */
    public static final String VOCABULARY = "vocabulary";

    /** The key of the number of characters to generate. */
    public static final String LENGTH = "generateLength";

    /** The key of the sampling temperature. */
    public static final String TEMPERATURE = "temperature";

    /** The key of the sampling seed. */
    public static final String SEED = "seed";

    /** The key of the generation path: {@value #JVM} (the default) or {@value #DJL}. */
    public static final String GENERATION = "generation";

    /** The generation path stepped on the JVM, {@link JvmStepModel}. */
    public static final String JVM = "jvm";

    /** The generation path through the DJL engine, {@link DjlGenerator}. */
    public static final String DJL = "djl";

    private static final String PROMPT = "prompt";

    private final Map<String, ?> arguments;
    private final CharVocabulary vocabulary;
    private final int length;
    private final double temperature;
    private final long seed;
    private final boolean jvm;
    private SequentialBlock stepping;
    private JvmStepModel stepModel;

    /**
     * Creates the translator from a saved model's arguments.
     *
     * @param arguments the entries of {@code serving.properties} and the criteria's arguments
     * @throws IllegalArgumentException if an entry is missing or out of range
     */
    public CharLmTranslator(Map<String, ?> arguments) {
        this.arguments = arguments;
        this.vocabulary = CharVocabulary.of(ServingArguments.text(arguments, VOCABULARY));
        this.length = (int) ServingArguments.number(arguments, LENGTH, 200);
        this.temperature = ServingArguments.number(arguments, TEMPERATURE, 0.7);
        this.seed = (long) ServingArguments.number(arguments, SEED, 42);
        Object path = arguments.get(GENERATION);
        String generation = path == null ? JVM : path.toString().trim().toLowerCase(Locale.ROOT);
        if (!JVM.equals(generation) && !DJL.equals(generation)) {
            throw new IllegalArgumentException(
                    GENERATION + " must be " + JVM + " or " + DJL + ", got " + path);
        }
        this.jvm = JVM.equals(generation);
        if (length < 1 || temperature < 0) {
            throw new IllegalArgumentException(
                    LENGTH
                            + " must be positive and "
                            + TEMPERATURE
                            + " not negative, got "
                            + length
                            + " and "
                            + temperature);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnsupportedOperationException on the {@value #JVM} path, if the model's graph is not
     *     one it runs (the message names the fallback)
     */
    @Override
    public synchronized void prepare(TranslatorContext ctx) {
        if (jvm && stepModel == null) {
            stepModel = JvmStepModel.of(ctx.getBlock());
        } else if (!jvm && stepping == null) {
            NDManager manager = ctx.getModel().getNDManager().newSubManager();
            stepping =
                    DjlGenerator.steppingCopy(
                            ctx.getBlock(),
                            SsmBlockFactory.architecture(arguments),
                            SsmBlockFactory.ssmLayers(arguments, true),
                            manager);
        }
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, String prompt) throws TranslateException {
        if (prompt == null || prompt.isEmpty()) {
            throw new TranslateException("The prompt must hold at least one character");
        }
        int[] ids;
        try {
            ids = vocabulary.encode(prompt);
        } catch (IllegalArgumentException e) {
            throw new TranslateException(
                    "The prompt has a character the model never saw in training ("
                            + e.getMessage()
                            + "); its vocabulary holds "
                            + vocabulary.size()
                            + " characters",
                    e);
        }
        ctx.setAttachment(PROMPT, ids);
        // Empty: the predictor skips its forward pass, the steps run in processOutput.
        return new NDList();
    }

    /** {@inheritDoc} */
    @Override
    public String processOutput(TranslatorContext ctx, NDList list) {
        int[] prompt = (int[]) ctx.getAttachment(PROMPT);
        TokenGenerator generator =
                jvm
                        ? new JvmGenerator(stepModel, temperature, seed)
                        : new DjlGenerator(stepping, ctx.getNDManager(), temperature, seed);
        return vocabulary.decode(generator.continueFrom(prompt, length));
    }
}
