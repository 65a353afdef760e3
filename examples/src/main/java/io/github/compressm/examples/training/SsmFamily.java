package io.github.compressm.examples.training;

import io.github.compressm.ssm.AbstractDiagonalSsm;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.S5;

/** The SSM layer every example model is built from ({@code --ssm}). */
public enum SsmFamily {
    /** The Linear Recurrent Unit, {@link Lru}. */
    LRU {
        @Override
        public AbstractDiagonalSsm.BaseBuilder<?> builder() {
            return Lru.builder();
        }
    },
    /** The continuous-time S5 layer, {@link S5}. */
    S5 {
        @Override
        public AbstractDiagonalSsm.BaseBuilder<?> builder() {
            return io.github.compressm.ssm.S5.builder();
        }
    };

    /**
     * Returns a builder for a layer of this family, with the family's default settings.
     *
     * @return a new builder
     */
    public abstract AbstractDiagonalSsm.BaseBuilder<?> builder();

    /**
     * Builds a layer of this family.
     *
     * @param stateSize the state size
     * @return a new layer
     */
    public AbstractDiagonalSsm build(int stateSize) {
        return builder().setStateSize(stateSize).build();
    }
}
