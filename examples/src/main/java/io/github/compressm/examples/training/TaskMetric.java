package io.github.compressm.examples.training;

import java.util.Map;

/**
 * The final metrics of a task on held-out data.
 *
 * @param primaryName the name of the main metric, such as {@code test_accuracy}
 * @param primaryValue the value of the main metric
 * @param all every computed metric by name, including the main one
 */
public record TaskMetric(String primaryName, double primaryValue, Map<String, Double> all) {}
