/** JMH benchmarks of the SSM layers, run with {@code ./benchmark layer} (see BENCHMARKS.md). */
package io.github.compressm.benchmarks;
