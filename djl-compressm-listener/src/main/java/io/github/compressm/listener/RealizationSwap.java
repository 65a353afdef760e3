package io.github.compressm.listener;

import io.github.compressm.ssm.DiagonalRealization;
import io.github.compressm.ssm.DiagonalSsmBlock;

/** Swaps a reduced system into a layer and verifies that the layer took it. */
final class RealizationSwap {

    private RealizationSwap() {}

    /**
     * Hands a system to a layer; the block validates it before it changes anything.
     *
     * @param block the layer
     * @param realization the new system
     * @throws IllegalArgumentException if the block refuses the system
     * @throws IllegalStateException if the block reports another state size afterwards
     */
    static void apply(DiagonalSsmBlock block, DiagonalRealization realization) {
        block.setRealization(realization);
        if (block.getStateSize() != realization.getStateSize()) {
            throw new IllegalStateException(
                    "the block reports state size "
                            + block.getStateSize()
                            + " after accepting a realisation of size "
                            + realization.getStateSize());
        }
    }
}
