/** Character-level language modelling of a text file, with sampling. */
package io.github.compressm.examples.tasks.text;
