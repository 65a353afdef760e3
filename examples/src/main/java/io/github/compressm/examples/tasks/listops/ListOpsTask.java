package io.github.compressm.examples.tasks.listops;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import io.github.compressm.examples.training.ClassificationTask;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.examples.training.TaskData;
import io.github.compressm.ssm.serving.SsmBlockFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LRA ListOps generated in-process from the seed: token ids padded to a fixed length, embedded by a
 * {@link io.github.compressm.ssm.TokenEmbedding}, classified into the expression's value (10
 * classes).
 */
public final class ListOpsTask extends ClassificationTask {

    private final ListOpsSpec spec;

    /**
     * Creates the task.
     *
     * @param spec the generator settings and data set sizes
     */
    public ListOpsTask(ListOpsSpec spec) {
        this.spec = spec;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "listops";
    }

    /** {@inheritDoc} */
    @Override
    public TaskData prepare(NDManager manager, RunConfig config) {
        ListOpsGenerator generator =
                new ListOpsGenerator(
                        spec.maxDepth(),
                        spec.maxArgs(),
                        spec.minLength(),
                        spec.maxLength(),
                        config.training().seed());
        int batchSize = config.training().batchSize();
        int train =
                config.training().limit() > 0
                        ? Math.min(config.training().limit(), spec.trainExamples())
                        : spec.trainExamples();
        return new TaskData(
                dataset(manager, generator, train, batchSize, true),
                dataset(manager, generator, spec.testExamples(), batchSize, false),
                new Shape(1, spec.maxLength()),
                DataType.INT64);
    }

    /** {@inheritDoc} */
    @Override
    public Block buildModel(RunConfig config) {
        return config.model()
                .modelBuilder(10)
                .optTokenVocabulary(ListOpsGenerator.VOCABULARY)
                .buildClassifier();
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, String> servingProperties() {
        return Map.of(
                SsmBlockFactory.ARCHITECTURE,
                SsmBlockFactory.CLASSIFIER,
                SsmBlockFactory.OUTPUTS,
                "10",
                SsmBlockFactory.TOKEN_VOCABULARY,
                Integer.toString(ListOpsGenerator.VOCABULARY));
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, Object> details(Trainer trainer, RunConfig config) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("maxDepth", spec.maxDepth());
        details.put("maxArgs", spec.maxArgs());
        details.put("minLength", spec.minLength());
        details.put("paddedLength", spec.maxLength());
        details.put("vocabulary", ListOpsGenerator.VOCABULARY);
        ListOpsGenerator.Example example =
                new ListOpsGenerator(
                                spec.maxDepth(),
                                spec.maxArgs(),
                                spec.minLength(),
                                spec.maxLength(),
                                config.training().seed())
                        .next();
        details.put("exampleExpression", ListOpsGenerator.toText(example.tokens()));
        details.put("exampleValue", example.label());
        return details;
    }

    private static ArrayDataset dataset(
            NDManager manager, ListOpsGenerator generator, int count, int batch, boolean shuffle) {
        long[][] tokens = new long[count][];
        long[] labels = new long[count];
        for (int i = 0; i < count; i++) {
            ListOpsGenerator.Example e = generator.next();
            tokens[i] = e.tokens();
            labels[i] = e.label();
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(tokens))
                .optLabels(manager.create(labels))
                .setSampling(batch, shuffle)
                .build();
    }
}
