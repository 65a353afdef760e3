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
 *
 * <p>The projections are the layer's plain matrix products: for an LRU (the default) the chain
 * {@code u W_in W_out} of {@code (features, 2N)} and {@code (2N, features)}; for a block with an
 * inner width of its own ({@link #ofBlockProjections}), such as {@link
 * io.github.compressm.ssm.Mamba2}, its input projection {@code u W_in} and, on a random input
 * {@code v} of the inner width, its output projection {@code v W_out}, two products whose losses
 * are summed.
 */
public final class LayerFixture implements AutoCloseable {

    private final NDManager manager;
    private final SsmBlock block;
    private final NDArray input;
    private final NDArray inputProjection;
    private final NDArray outputProjection;
    private final NDArray innerInput;

    /**
     * Builds the layer and its input (random seed 0).
     *
     * @param stateSize the state size
     * @param batch sequences per batch
     * @param length steps per sequence
     * @param features features of input and output
     * @param chunkLength steps per chunk of the scan, 0 for the layer's automatic choice
     */
    public LayerFixture(int stateSize, int batch, int length, int features, int chunkLength) {
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
    public LayerFixture(
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
    public LayerFixture(SsmBlock layer, int stateSize, int batch, int length, int features) {
        // Real and imaginary parts: 2 * stateSize columns in, 2 * stateSize rows out.
        this(layer, batch, length, features, 2L * stateSize, 0);
    }

    /**
     * Initialises a layer built by the caller, builds its input (random seed 0) and the
     * projections: the chain {@code u W_in W_out} if {@code innerWidth} is 0, else {@code u W_in}
     * and {@code v W_out} with {@code W_out} of {@code (innerWidth, features)} and a random {@code
     * v} of {@code (batch, length, innerWidth)}.
     */
    private LayerFixture(
            SsmBlock layer, int batch, int length, int features, long inWidth, long innerWidth) {
        Engine.getInstance().setRandomSeed(0);
        manager = NDManager.newBaseManager();
        input = manager.randomNormal(new Shape(batch, length, features));
        block = layer;
        block.initialize(manager, DataType.FLOAT32, input.getShape());
        inputProjection = manager.randomNormal(new Shape(features, inWidth));
        outputProjection =
                manager.randomNormal(new Shape(innerWidth > 0 ? innerWidth : inWidth, features));
        inputProjection.setRequiresGradient(true);
        outputProjection.setRequiresGradient(true);
        innerInput =
                innerWidth > 0 ? manager.randomNormal(new Shape(batch, length, innerWidth)) : null;
    }

    /**
     * Initialises a block with an inner width of its own (one that does not return its state),
     * builds its input (random seed 0) and, as its projections, the two separate products {@code u
     * W_in} with {@code W_in} of {@code (features, inputProjectionWidth)} and {@code v W_out} with
     * {@code W_out} of {@code (innerWidth, features)} on a random {@code v} of {@code (batch,
     * length, innerWidth)}.
     *
     * @param layer the block, not yet initialised
     * @param batch sequences per batch
     * @param length steps per sequence
     * @param features features of input and output
     * @param inputProjectionWidth the columns of the input projection
     * @param innerWidth the rows of the output projection
     * @return the fixture
     */
    public static LayerFixture ofBlockProjections(
            SsmBlock layer,
            int batch,
            int length,
            int features,
            long inputProjectionWidth,
            long innerWidth) {
        if (innerWidth < 1) {
            throw new IllegalArgumentException("inner width must be positive: " + innerWidth);
        }
        return new LayerFixture(layer, batch, length, features, inputProjectionWidth, innerWidth);
    }

    /**
     * The layer being timed.
     *
     * @return the layer, initialised
     */
    public SsmBlock layer() {
        return block;
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
                    block.forward(new ParameterStore(scope, false), new NDList(x), false)
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
                    block.forward(new ParameterStore(scope, false), new NDList(x), true)
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
            return projections(x, scope).get(0).get(0, 0, 0).getFloat();
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
            NDList y = projections(x, scope);
            NDArray loss = y.get(0).square().mean();
            for (int i = 1; i < y.size(); i++) {
                loss = loss.add(y.get(i).square().mean());
            }
            collector.backward(loss);
            return y.get(0).get(0, 0, 0).getFloat();
        }
    }

    /** The projections' outputs, owned by {@code scope}: one (the chain) or two products. */
    private NDList projections(NDArray x, NDManager scope) {
        NDArray first = x.matMul(inputProjection);
        if (innerInput == null) {
            return new NDList(first.matMul(outputProjection));
        }
        NDArray second = innerInput.matMul(outputProjection);
        second.attach(scope);
        return new NDList(first, second);
    }

    /** Frees the native memory. */
    @Override
    public void close() {
        manager.close();
    }
}
