package io.github.compressm.benchmarks;

import io.github.compressm.examples.training.SsmFamily;
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
 * The JMH settings, input shape and timed calls shared by the single-layer benchmarks: one SSM
 * layer of an {@link LayerFixture} on a {@code (batch, length, features)} input, its forward pass
 * alone and its forward plus backward pass of {@code mean(y^2)}. A subclass chooses the layer
 * family and the state sizes with its own {@link Param} fields.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx8g"})
public abstract class AbstractLayerBenchmark {

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

    /** The layer and its input, built for each trial. */
    protected LayerFixture fixture;

    /**
     * Returns the SSM layer family of this trial.
     *
     * @return the family
     */
    protected abstract SsmFamily family();

    /**
     * Returns the state size of this trial.
     *
     * @return the state size
     */
    protected abstract int stateSize();

    /** Builds the layer and a random input. */
    @Setup(Level.Trial)
    public void setUp() {
        fixture = new LayerFixture(family(), stateSize(), batch, length, features, chunkLength);
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
