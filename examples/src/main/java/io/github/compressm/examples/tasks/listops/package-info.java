/** Long Range Arena ListOps, generated in-process from a seed. */
package io.github.compressm.examples.tasks.listops;
