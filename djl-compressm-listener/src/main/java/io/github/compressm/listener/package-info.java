/**
 * CompreSSM for DJL: {@link io.github.compressm.listener.CompreSsmListener}, a {@link
 * ai.djl.training.listener.TrainingListener} that shrinks the state of every SSM layer (every
 * {@link io.github.compressm.ssm.DiagonalSsmBlock}, such as {@link io.github.compressm.ssm.Lru}) by
 * balanced truncation early in training, while a standard DJL trainer keeps training; its {@link
 * io.github.compressm.listener.CompressionReport}; and {@link
 * io.github.compressm.listener.FreshParameterTracker}, which gives parameters created during
 * training Adam's bias correction for their own age.
 */
package io.github.compressm.listener;
