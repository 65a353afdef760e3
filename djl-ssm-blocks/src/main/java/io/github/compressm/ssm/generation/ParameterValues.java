package io.github.compressm.ssm.generation;

import ai.djl.nn.Parameter;

/**
 * Where a step model reads trained parameter values from: the arrays of a model in memory ({@link
 * #ofArrays()}), or a saved parameter file read without an engine ({@link ParameterFile}).
 */
@FunctionalInterface
public interface ParameterValues {

    /**
     * Returns a parameter's values.
     *
     * @param parameter a parameter of the model
     * @return its values as floats, row-major
     * @throws IllegalStateException if the parameter has no values
     */
    float[] get(Parameter parameter);

    /**
     * Reads the parameters' own arrays, through their engine.
     *
     * @return the values of an initialised model in memory
     */
    static ParameterValues ofArrays() {
        return parameter -> {
            if (parameter == null || parameter.getArray() == null) {
                throw new IllegalStateException(
                        "the model is not initialised: load or train it before stepping it");
            }
            return parameter.getArray().toFloatArray();
        };
    }
}
