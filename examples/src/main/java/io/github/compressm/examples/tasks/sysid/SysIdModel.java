package io.github.compressm.examples.tasks.sysid;

/** The model families of the system identification tasks. */
public enum SysIdModel {
    /**
     * The paper's stack: linear encoder to {@code --hidden-size} features, {@code --layers}
     * residual SSM layers (norm, LRU, GELU, GLU), linear head. Nonlinear; each LRU is a multi-input
     * multi-output system of the hidden features.
     */
    RESIDUAL,
    /**
     * A plain user-style graph: {@code --layers} SSM blocks ({@code --ssm}, {@link
     * io.github.compressm.ssm.Lru} by default) directly on the input channels in a {@code
     * SequentialBlock}, then a linear head; linear in the input, so the learned system is directly
     * comparable with the true one ({@code --hidden-size} is not used).
     */
    LRU,
    /**
     * A linear multi-channel graph: {@code Linear(inputs -> hidden-size)}, {@code --layers} SSM
     * blocks on the {@code --hidden-size} channels, {@code Linear(hidden-size -> outputs)}. Still
     * linear in the input, but each LRU sees a few used directions of many channels, as inside a
     * real network.
     */
    PROJECTED_LRU
}
