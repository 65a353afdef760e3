package io.github.compressm.benchmarks;

import io.github.compressm.examples.training.SsmFamily;
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
 * Time of one {@link Lru} layer (or another SSM layer: {@code -p ssm=LRU,S5}) on a {@code (batch,
 * length, features)} input: forward alone, forward plus backward of {@code mean(y^2)} (the loss of
 * the PyTorch peer), and, as the floor, the forward plus backward of the layer's input and output
 * projections alone (the matrix products no scan can avoid). The layer and the calls are those of
 * {@link LruLayerFixture}, shared with {@link LayerComparison}.
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

    /** The SSM layer, a {@link SsmFamily} name. */
    @Param("LRU")
    public String ssm;

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

    private LruLayerFixture fixture;

    /** Builds the layer and a random input. */
    @Setup(Level.Trial)
    public void setUp() {
        fixture =
                new LruLayerFixture(
                        SsmFamily.valueOf(ssm), stateSize, batch, length, features, chunkLength);
    }

    /** Frees the native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    /**
     * Forward pass only.
     *
     * @return a value that depends on the output
     */
    @Benchmark
    public float forward() {
        return fixture.forward();
    }

    /**
     * Forward and backward pass.
     *
     * @return a value that depends on the gradients
     */
    @Benchmark
    public float forwardBackward() {
        return fixture.forwardBackward();
    }

    /**
     * Forward and backward pass of the input and output projections alone.
     *
     * @return a value that depends on the output
     */
    @Benchmark
    public float projectionsForwardBackward() {
        return fixture.projectionsForwardBackward();
    }
}
