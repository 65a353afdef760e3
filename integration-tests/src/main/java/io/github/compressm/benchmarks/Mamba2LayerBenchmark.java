package io.github.compressm.benchmarks;

import io.github.compressm.examples.training.SsmFamily;
import io.github.compressm.ssm.Mamba2;
import org.openjdk.jmh.annotations.Param;

/**
 * Time of one {@link Mamba2} layer beside an {@link io.github.compressm.ssm.Lru} of the same width
 * ({@code -p ssm=MAMBA2,LRU}) on a {@code (batch, length, features)} input, forward alone and
 * forward plus backward of {@code mean(y^2)}, at the state sizes a compressed Mamba-2 layer moves
 * between. The layer and the calls are those of {@link LayerFixture}.
 */
public class Mamba2LayerBenchmark extends AbstractLayerBenchmark {

    /** The SSM layer, a {@link SsmFamily} name. */
    @Param({"MAMBA2", "LRU"})
    public String ssm;

    /** The state size. */
    @Param({"16", "64", "128"})
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
}
