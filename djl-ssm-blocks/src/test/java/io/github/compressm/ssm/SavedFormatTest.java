package io.github.compressm.ssm;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * Models saved by earlier releases keep loading. {@code lru-v1/} holds a model saved by the Lru of
 * format version 1, before the layers shared {@link AbstractDiagonalSsm}: {@code Lru(8)} shrunk to
 * 5 states by {@code setRealization}, then a residual layer around {@code Lru(6)}, initialised for
 * input {@code (2, 30, 3)}; {@code io.ndlist} holds an input and the model's output for it.
 */
public class SavedFormatTest {

    @Test
    public void lruSavedInFormatVersion1LoadsWithIdenticalOutputs() throws Exception {
        Path dir =
                Paths.get(getClass().getResource("lru-v1/legacy-0000.params").toURI()).getParent();
        try (Model model = Model.newInstance("legacy")) {
            Lru first = Lru.builder().setStateSize(8).build();
            SequentialBlock net =
                    new SequentialBlock()
                            .add(first)
                            .add(
                                    SsmResidualBlock.builder()
                                            .setSsm(Lru.builder().setStateSize(6).build())
                                            .build());
            model.setBlock(net);
            model.load(dir, "legacy");
            Assert.assertEquals(first.getStateSize(), 5);
            Assert.assertEquals(first.getFeatures(), 3);
            NDList saved =
                    NDList.decode(
                            model.getNDManager(), Files.readAllBytes(dir.resolve("io.ndlist")));
            Assert.assertEquals(saved.get(0).getShape(), new Shape(2, 30, 3));
            Assert.assertEquals(saved.get(0).getDataType(), DataType.FLOAT32);
            NDList output =
                    net.forward(
                            new ParameterStore(model.getNDManager(), false),
                            new NDList(saved.get(0)),
                            false);
            // Equal to float round-off: the summation order of a product may differ between CPUs.
            Assert.assertEquals(
                    output.singletonOrThrow().toFloatArray(), saved.get(1).toFloatArray(), 1e-5f);
        }
    }
}
