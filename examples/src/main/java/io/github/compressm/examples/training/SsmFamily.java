package io.github.compressm.examples.training;

import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.Mamba2;
import io.github.compressm.ssm.SsmBlock;
import io.github.compressm.ssm.serving.SsmBlockFactory;

/** The SSM layer every example model is built from ({@code --ssm}). */
public enum SsmFamily {
    /** The Linear Recurrent Unit, {@link Lru}. */
    LRU(SsmBlockFactory.LRU) {
        @Override
        public SsmBlock build(int stateSize, int chunkLength, boolean returnState) {
            return Lru.builder()
                    .setStateSize(stateSize)
                    .optChunkLength(chunkLength)
                    .optReturnState(returnState)
                    .build();
        }
    },
    /** The continuous-time S5 layer, {@link io.github.compressm.ssm.S5}. */
    S5(SsmBlockFactory.S5_FAMILY) {
        @Override
        public SsmBlock build(int stateSize, int chunkLength, boolean returnState) {
            return io.github
                    .compressm
                    .ssm
                    .S5
                    .builder()
                    .setStateSize(stateSize)
                    .optChunkLength(chunkLength)
                    .optReturnState(returnState)
                    .build();
        }
    },
    /** The selective Mamba-2 layer, {@link Mamba2}, with its default settings. */
    MAMBA2(SsmBlockFactory.MAMBA2) {
        @Override
        public SsmBlock build(int stateSize, int chunkLength, boolean returnState) {
            return Mamba2.builder()
                    .setStateSize(stateSize)
                    .optChunkLength(chunkLength)
                    .optReturnState(returnState)
                    .build();
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
     * Builds a layer of this family with the family's default settings otherwise.
     *
     * @param stateSize the state size
     * @param chunkLength the steps per chunk of the layer's scan, 0 for its automatic choice
     * @param returnState whether the layer returns its final state after its output
     * @return a new layer
     */
    public abstract SsmBlock build(int stateSize, int chunkLength, boolean returnState);

    /**
     * Builds a layer of this family with its default settings.
     *
     * @param stateSize the state size
     * @return a new layer
     */
    public SsmBlock build(int stateSize) {
        return build(stateSize, 0, false);
    }
}
