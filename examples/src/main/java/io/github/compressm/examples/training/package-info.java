/**
 * The shared training runner: task contract, optimizer, DJL listeners, the one factory of the
 * CompreSSM listener, learning-curve recording and held-out evaluation.
 */
package io.github.compressm.examples.training;
