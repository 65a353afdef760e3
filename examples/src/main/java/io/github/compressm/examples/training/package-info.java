/**
 * The shared training runner: task contract, run settings (with the listener's {@code
 * CompressionSettings}), optimizer, DJL listeners, the CompreSSM listener built from those
 * settings, learning-curve recording and held-out evaluation.
 */
package io.github.compressm.examples.training;
