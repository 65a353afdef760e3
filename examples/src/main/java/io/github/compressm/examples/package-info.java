/**
 * The examples' command line entry point, {@link io.github.compressm.examples.CompreSsmCli}: one
 * subcommand per task (demo, sequential-image, listops, char-lm, sysid).
 */
package io.github.compressm.examples;
