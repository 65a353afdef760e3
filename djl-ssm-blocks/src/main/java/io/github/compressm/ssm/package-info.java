/**
 * State space model layers as DJL {@link ai.djl.nn.Block}s.
 *
 * <p>{@link io.github.compressm.ssm.Lru} is the Linear Recurrent Unit of Orvieto et al. (2023);
 * every SSM block implements {@link io.github.compressm.ssm.DiagonalSsmBlock}, through which the
 * compression code reads and replaces its linear system. {@link
 * io.github.compressm.ssm.SsmResidualBlock} and {@link io.github.compressm.ssm.SsmModels} build the
 * residual layers and sequence models of the CompreSSM paper.
 */
package io.github.compressm.ssm;
