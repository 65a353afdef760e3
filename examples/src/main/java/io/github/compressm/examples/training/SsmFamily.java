package io.github.compressm.examples.training;

import io.github.compressm.ssm.AbstractDiagonalSsm;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.S5;
import io.github.compressm.ssm.serving.SsmBlockFactory;

/** The SSM layer every example model is built from ({@code --ssm}). */
public enum SsmFamily {
    /** The Linear Recurrent Unit, {@link Lru}. */
    LRU(SsmBlockFactory.LRU) {
        @Override
        public AbstractDiagonalSsm.BaseBuilder<?> builder() {
            return Lru.builder();
        }
    },
    /** The continuous-time S5 layer, {@link S5}. */
    S5(SsmBlockFactory.S5_FAMILY) {
        @Override
        public AbstractDiagonalSsm.BaseBuilder<?> builder() {
            return io.github.compressm.ssm.S5.builder();
        }
    };

    private final String servingName;

    SsmFamily(String servingName) {
        this.servingName = servingName;
    }

    /**
     * Returns the family's name in a saved model's {@code serving.properties} ({@link
     * SsmBlockFactory#SSM}).
     *
     * @return the name
     */
    public String servingName() {
        return servingName;
    }

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
