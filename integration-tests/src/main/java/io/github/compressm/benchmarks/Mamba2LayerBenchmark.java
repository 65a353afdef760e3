package io.github.compressm.benchmarks;

import io.github.compressm.examples.training.SsmFamily;
import io.github.compressm.ssm.Mamba2;
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
 * Time of one {@link Mamba2} layer beside an {@link io.github.compressm.ssm.Lru} of the same width
 * ({@code -p ssm=MAMBA2,LRU}) on a {@code (batch, length, features)} input, forward alone and
 * forward plus backward of {@code mean(y^2)}, at the state sizes a compressed Mamba-2 layer moves
 * between. The layer and the calls are those of {@link LruLayerFixture}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx8g"})
public class Mamba2LayerBenchmark {

    /** The SSM layer, a {@link SsmFamily} name. */
    @Param({"MAMBA2", "LRU"})
    public String ssm;

    /** The state size. */
    @Param({"16", "64", "128"})
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
}
