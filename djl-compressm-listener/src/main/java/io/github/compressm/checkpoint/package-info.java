/**
 * Crash-safe checkpoints for any DJL model: {@link io.github.compressm.checkpoint.Checkpoint} saves
 * a model's parameters atomically with a SHA-256 checksum and loads the newest complete, verified
 * checkpoint, and {@link io.github.compressm.checkpoint.CheckpointListener} saves one after every
 * epoch of a DJL trainer. Nothing here depends on the compression itself; model properties, such as
 * a compression run's progress, travel with the parameters.
 */
package io.github.compressm.checkpoint;
