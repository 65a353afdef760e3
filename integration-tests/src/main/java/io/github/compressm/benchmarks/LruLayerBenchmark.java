package io.github.compressm.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.compressm.ssm.Lru;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one {@link Lru} layer on a {@code (batch, length, features)} input: forward alone,
 * forward plus backward of {@code mean(y^2)} (the loss of the PyTorch peer), and, as the floor, the
 * forward plus backward of the layer's input and output projections alone (the matrix products no
 * scan can avoid).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx8g"})
public class LruLayerBenchmark {

    /** The state size. */
    @Param({"16", "32", "64", "128", "256", "512"})
    public int stateSize;

    /** Sequences per batch. */
    @Param("32")
    public int batch;

    /** Steps per sequence. */
    @Param("784")
    public int length;

    /** Features of input and output. */
    @Param("64")
    public int features;

    /** Steps per chunk of the scan, 0 for the layer's automatic choice. */
    @Param("0")
    public int chunkLength;

    private NDManager manager;
    private Lru lru;
    private NDArray input;
    private NDArray inputProjection;
    private NDArray outputProjection;

    /** Builds the layer and a random input. */
    @Setup(Level.Trial)
    public void setUp() {
        Engine.getInstance().setRandomSeed(0);
        manager = NDManager.newBaseManager();
        input = manager.randomNormal(new Shape(batch, length, features));
        lru = Lru.builder().setStateSize(stateSize).optChunkLength(chunkLength).build();
        lru.initialize(manager, DataType.FLOAT32, input.getShape());
        // Real and imaginary parts: 2 * stateSize rows in, 2 * stateSize columns out.
        inputProjection = manager.randomNormal(new Shape(features, 2L * stateSize));
        outputProjection = manager.randomNormal(new Shape(2L * stateSize, features));
        inputProjection.setRequiresGradient(true);
        outputProjection.setRequiresGradient(true);
    }

    /** Frees the native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /**
     * Forward pass only.
     *
     * @return a value that depends on the output
     */
    @Benchmark
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
    @Benchmark
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
     * Forward and backward pass of the input and output projections alone.
     *
     * @return a value that depends on the output
     */
    @Benchmark
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
}
