/**
 * Benchmarks of the SSM layers (see BENCHMARKS.md): JMH benchmarks run with {@code ./benchmark
 * layer} and {@code ./benchmark control}, the side-by-side comparison with the PyTorch peer run
 * with {@code ./benchmark compare}, and the end-to-end study run with {@code ./benchmark study}.
 */
package io.github.compressm.benchmarks;
