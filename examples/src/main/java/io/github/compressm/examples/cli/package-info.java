/**
 * Picocli subcommands and the flags they share; each subcommand only turns its options into an
 * {@link io.github.compressm.examples.training.ExampleTask}.
 */
package io.github.compressm.examples.cli;
