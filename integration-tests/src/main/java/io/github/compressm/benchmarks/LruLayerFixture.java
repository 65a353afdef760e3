package io.github.compressm.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.compressm.examples.training.SsmFamily;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.SsmBlock;

/**
 * One SSM layer ({@link Lru} unless another {@link SsmFamily} is chosen) with a random {@code
 * (batch, length, features)} input, and the calls that {@link LruLayerBenchmark} (JMH) and {@link
 * LayerComparison} (the side-by-side harness) time: the layer's forward pass, its forward plus
 * backward pass of {@code mean(y^2)} (the loss of the PyTorch peer), and, as the floor, the same
 * for the layer's input and output projections alone (the matrix products no scan can avoid). Each
 * call works in its own sub-manager, so nothing accumulates between calls. Outside a {@link
 * GradientCollector} DJL's PyTorch engine records no gradients, so the forward-only calls are
 * inference.
 */
public final class LruLayerFixture implements AutoCloseable {

    private final NDManager manager;
    private final SsmBlock lru;
    private final NDArray input;
    private final NDArray inputProjection;
    private final NDArray outputProjection;

    /**
     * Builds the layer and its input (random seed 0).
     *
     * @param stateSize the state size
     * @param batch sequences per batch
     * @param length steps per sequence
     * @param features features of input and output
     * @param chunkLength steps per chunk of the scan, 0 for the layer's automatic choice
     */
    public LruLayerFixture(int stateSize, int batch, int length, int features, int chunkLength) {
        this(SsmFamily.LRU, stateSize, batch, length, features, chunkLength);
    }

    /**
     * Builds a layer of the given family and its input (random seed 0).
     *
     * @param family the SSM layer
     * @param stateSize the state size
     * @param batch sequences per batch
     * @param length steps per sequence
     * @param features features of input and output
     * @param chunkLength steps per chunk of the scan, 0 for the layer's automatic choice
     */
    public LruLayerFixture(
            SsmFamily family, int stateSize, int batch, int length, int features, int chunkLength) {
        this(family.build(stateSize, chunkLength, false), stateSize, batch, length, features);
    }

    /**
     * Initialises a layer built by the caller (one that does not return its state) and builds its
     * input (random seed 0).
     *
     * @param layer the SSM layer, not yet initialised
     * @param stateSize its state size
     * @param batch sequences per batch
     * @param length steps per sequence
     * @param features features of input and output
     */
    public LruLayerFixture(SsmBlock layer, int stateSize, int batch, int length, int features) {
        Engine.getInstance().setRandomSeed(0);
        manager = NDManager.newBaseManager();
        input = manager.randomNormal(new Shape(batch, length, features));
        lru = layer;
        lru.initialize(manager, DataType.FLOAT32, input.getShape());
        // Real and imaginary parts: 2 * stateSize rows in, 2 * stateSize columns out.
        inputProjection = manager.randomNormal(new Shape(features, 2L * stateSize));
        outputProjection = manager.randomNormal(new Shape(2L * stateSize, features));
        inputProjection.setRequiresGradient(true);
        outputProjection.setRequiresGradient(true);
    }

    /**
     * Forward pass only.
     *
     * @return a value that depends on the output
     */
    public float forward() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(scope);
            NDArray y =
                    lru.forward(new ParameterStore(scope, false), new NDList(x), false)
                            .singletonOrThrow();
            return y.get(0, 0, 0).getFloat();
        }
    }

    /**
     * Forward and backward pass.
     *
     * @return a value that depends on the gradients
     */
    public float forwardBackward() {
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = input.duplicate();
            x.attach(scope);
            NDArray y =
                    lru.forward(new ParameterStore(scope, false), new NDList(x), true)
                            .singletonOrThrow();
            collector.backward(y.square().mean());
            return y.get(0, 0, 0).getFloat();
        }
    }

    /**
     * Forward pass of the input and output projections alone.
     *
     * @return a value that depends on the output
     */
    public float projectionsForward() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(scope);
            NDArray y = x.matMul(inputProjection).matMul(outputProjection);
            return y.get(0, 0, 0).getFloat();
        }
    }

    /**
     * Forward and backward pass of the input and output projections alone.
     *
     * @return a value that depends on the output
     */
    public float projectionsForwardBackward() {
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = input.duplicate();
            x.attach(scope);
            NDArray y = x.matMul(inputProjection).matMul(outputProjection);
            collector.backward(y.square().mean());
            return y.get(0, 0, 0).getFloat();
        }
    }

    /** Frees the native memory. */
    @Override
    public void close() {
        manager.close();
    }
}
