package io.github.compressm.checkpoint;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/** Small plain DJL models for the checkpoint tests: checkpoints know nothing of SSM layers. */
final class CheckpointModels {

    /** The input features of every model here. */
    static final int FEATURES = 8;

    private CheckpointModels() {}

    /**
     * Returns a model of two linear layers, its block not initialised.
     *
     * @param name the model name
     * @param hidden the hidden width (the parameter count grows with it)
     */
    static Model model(String name, int hidden) {
        Model model = Model.newInstance(name);
        model.setBlock(block(hidden));
        return model;
    }

    /** Returns the block of {@link #model}. */
    static Block block(int hidden) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Linear.builder().setUnits(4).build());
    }

    /** Initialises a block for inputs of shape {@code (2, FEATURES)}. */
    static void initialize(Block block, NDManager manager) {
        block.initialize(manager, DataType.FLOAT32, new Shape(2, FEATURES));
    }

    /** Returns the block's outputs for a fixed input, in inference mode. */
    static float[] outputs(Block block, NDManager manager) {
        NDArray probe = manager.arange(2f * FEATURES).reshape(2, FEATURES);
        return block.forward(new ParameterStore(manager, false), new NDList(probe), false)
                .singletonOrThrow()
                .toFloatArray();
    }
}
