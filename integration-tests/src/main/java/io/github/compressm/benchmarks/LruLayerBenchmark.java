package io.github.compressm.benchmarks;

import io.github.compressm.examples.training.SsmFamily;
import io.github.compressm.ssm.Lru;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Time of one {@link Lru} layer (or another SSM layer: {@code -p ssm=LRU,S5}) on a {@code (batch,
 * length, features)} input: forward alone, forward plus backward of {@code mean(y^2)} (the loss of
 * the PyTorch peer), and, as the floor, the forward plus backward of the layer's input and output
 * projections alone (the matrix products no scan can avoid). The layer and the calls are those of
 * {@link LayerFixture}, shared with {@link LayerComparison}.
 */
public class LruLayerBenchmark extends AbstractLayerBenchmark {

    /** The SSM layer, a {@link SsmFamily} name. */
    @Param("LRU")
    public String ssm;

    /** The state size. */
    @Param({"16", "32", "64", "128", "256", "512"})
    public int stateSize;

    /** {@inheritDoc} */
    @Override
    protected SsmFamily family() {
        return SsmFamily.valueOf(ssm);
    }

    /** {@inheritDoc} */
    @Override
    protected int stateSize() {
        return stateSize;
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
