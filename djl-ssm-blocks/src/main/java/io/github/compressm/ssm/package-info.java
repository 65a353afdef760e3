/**
 * State space model layers as DJL {@link ai.djl.nn.Block}s.
 *
 * <p>{@link io.github.compressm.ssm.Lru} is the Linear Recurrent Unit of Orvieto et al. (2023),
 * {@link io.github.compressm.ssm.S5} the continuous-time S5 layer of Smith et al. (2023); both
 * extend {@link io.github.compressm.ssm.AbstractDiagonalSsm}, which holds what diagonal SSM layers
 * share (layout, scan, state, parameter replacement, saving). Every diagonal SSM block implements
 * {@link io.github.compressm.ssm.DiagonalSsmBlock}, through which the compression code reads and
 * replaces its linear system. {@link io.github.compressm.ssm.Mamba2} is a selective layer, a {@link
 * io.github.compressm.ssm.SelectiveSsmBlock} whose state is reduced by a change of basis. {@link
 * io.github.compressm.ssm.SsmResidualBlock} and {@link io.github.compressm.ssm.SsmModels} build the
 * residual layers and sequence models of the CompreSSM paper.
 */
package io.github.compressm.ssm;
