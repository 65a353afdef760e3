package io.github.compressm.ssm.generation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.github.compressm.ssm.CompressedLayers;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.SsmModels;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

public class DjlGeneratorTest {

    private static final int VOCABULARY = 9;
    private static final int LENGTH = 40;

    @Test
    public void runningInPartsEqualsTheWholeSequence() {
        Engine.getInstance().setRandomSeed(61);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock trained = trainedModel(manager);
            // As if compression had cut the first layer: the copy must take the saved size.
            CompressedLayers.cutFirstLayer(trained, 4);
            SequentialBlock stepping = steppingCopy(trained, manager);
            NDArray ids = randomIds(manager, 62, LENGTH);
            NDArray whole = forward(trained, ids);
            StepwiseRunner runner = new StepwiseRunner(stepping, manager);
            NDList parts = new NDList();
            // A prompt of 32 (two chunks of the scan), then one token at a time.
            for (NDArray part : ids.split(new long[] {32, 33, 34, 35, 36, 37, 38, 39}, 1)) {
                parts.add(runner.forward(part));
            }
            Assert.assertTrue(
                    whole.allClose(NDArrays.concat(parts, 1), 1e-4, 1e-4, false), "logits differ");
        }
    }

    @Test
    public void greedySamplesAreTheWholeSequenceArgmax() {
        Engine.getInstance().setRandomSeed(63);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock trained = trainedModel(manager);
            SequentialBlock stepping = steppingCopy(trained, manager);
            int[] prompt = new Random(64).ints(10, 0, VOCABULARY).toArray();
            int[] generated = new DjlGenerator(stepping, manager, 0, 1).continueFrom(prompt, 25);
            Assert.assertEquals(generated.length, 25);
            long[] all = new long[prompt.length + generated.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i < prompt.length ? prompt[i] : generated[i - prompt.length];
            }
            float[] logits =
                    forward(trained, manager.create(all, new Shape(1, all.length))).toFloatArray();
            for (int k = 0; k < generated.length; k++) {
                int at = (prompt.length - 1 + k) * VOCABULARY;
                float best = Float.NEGATIVE_INFINITY;
                for (int v = 0; v < VOCABULARY; v++) {
                    best = Math.max(best, logits[at + v]);
                }
                Assert.assertTrue(
                        logits[at + generated[k]] >= best - 1e-4f,
                        "character " + k + " not argmax");
            }
        }
    }

    @Test
    public void aBatchOfPromptsGeneratesWhatEachPromptGeneratesAlone() {
        Engine.getInstance().setRandomSeed(65);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock stepping = steppingCopy(trainedModel(manager), manager);
            Random random = new Random(66);
            int[][] prompts = {
                random.ints(5, 0, VOCABULARY).toArray(),
                random.ints(1, 0, VOCABULARY).toArray(),
                random.ints(9, 0, VOCABULARY).toArray()
            };
            for (double temperature : new double[] {0, 0.8}) {
                DjlGenerator generator = new DjlGenerator(stepping, manager, temperature, 3);
                int[][] batch = generator.continueFrom(prompts, 12);
                for (int r = 0; r < prompts.length; r++) {
                    Assert.assertEquals(
                            batch[r],
                            generator.continueFrom(prompts[r], 12),
                            "prompt " + r + " at temperature " + temperature);
                }
            }
        }
    }

    @Test
    public void anEmptyPromptIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DjlGenerator generator = new DjlGenerator(new SequentialBlock(), manager, 0, 1);
            IllegalArgumentException e =
                    Assert.expectThrows(
                            IllegalArgumentException.class,
                            () -> generator.continueFrom(new int[0], 3));
            Assert.assertTrue(e.getMessage().contains("at least one token"), e.getMessage());
        }
    }

    /** A randomly initialised two-layer character model, as the task builds it. */
    private static SequentialBlock trainedModel(NDManager manager) {
        SequentialBlock model = models().buildSequenceToSequence();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, LENGTH));
        return model;
    }

    private static SequentialBlock steppingCopy(SequentialBlock trained, NDManager manager) {
        return DjlGenerator.steppingCopy(trained, models(), Lru.builder().setStateSize(6), manager);
    }

    private static SsmModels.Builder models() {
        return SsmModels.builder()
                .setHiddenSize(8)
                .setStateSize(6)
                .setOutputs(VOCABULARY)
                .optLayers(2)
                .optTokenVocabulary(VOCABULARY);
    }

    private static NDArray forward(SequentialBlock model, NDArray ids) {
        return model.forward(new ParameterStore(ids.getManager(), false), new NDList(ids), false)
                .singletonOrThrow();
    }

    private static NDArray randomIds(NDManager manager, int seed, int length) {
        long[] ids = new Random(seed).longs(length, 0, VOCABULARY).toArray();
        return manager.create(ids, new Shape(1, length));
    }
}
