package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * The pieces of a {@link Mamba2} state reduction: checking the maps, folding them into the state
 * projections in double precision, and putting the new parameters in place of the old.
 */
final class Mamba2Reduction {

    private Mamba2Reduction() {}

    /**
     * Checks that a map has the given shape and finite entries.
     *
     * @param name the argument's name, for the message
     * @param matrix the map
     * @param rows the rows expected
     * @param columns the columns expected
     * @throws IllegalArgumentException if the shape differs or an entry is not finite
     */
    static void requireMatrix(String name, double[][] matrix, int rows, int columns) {
        if (matrix.length != rows) {
            throw new IllegalArgumentException(
                    name + " must have " + rows + " rows, got " + matrix.length + expectation());
        }
        for (int i = 0; i < rows; i++) {
            if (matrix[i].length != columns) {
                throw new IllegalArgumentException(
                        name
                                + " row "
                                + i
                                + " must have "
                                + columns
                                + " entries, got "
                                + matrix[i].length
                                + expectation());
            }
            for (int j = 0; j < columns; j++) {
                if (!Double.isFinite(matrix[i][j])) {
                    throw new IllegalArgumentException(
                            name + "[" + i + "][" + j + "] is not finite: " + matrix[i][j]);
                }
            }
        }
    }

    private static String expectation() {
        return " (left is r x stateSize, right is stateSize x r)";
    }

    /**
     * Returns a parameter's current values in double precision, row-major.
     *
     * @param parameter the parameter
     * @return the values
     */
    static double[] values(Parameter parameter) {
        NDArray array = parameter.getArray();
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray();
        }
        try (NDArray converted = array.toType(DataType.FLOAT64, false)) {
            return converted.toDoubleArray();
        }
    }

    /**
     * Returns {@code M W} (or {@code M^T W}) for a row-major {@code W} of {@code columns} columns.
     *
     * @param m the map, {@code r x n} (or {@code n x r} when transposed)
     * @param transposed whether to apply {@code M^T}
     * @param w the matrix, {@code n x columns}, row-major
     * @param columns the columns of {@code w}
     * @return the product, {@code r x columns}, row-major
     */
    static double[] multiply(double[][] m, boolean transposed, double[] w, int columns) {
        int r = transposed ? m[0].length : m.length;
        int n = w.length / columns;
        double[] out = new double[r * columns];
        for (int i = 0; i < r; i++) {
            for (int k = 0; k < n; k++) {
                double factor = transposed ? m[k][i] : m[i][k];
                for (int j = 0; j < columns; j++) {
                    out[i * columns + j] += factor * w[k * columns + j];
                }
            }
        }
        return out;
    }

    /**
     * Puts a new parameter with the given values under {@code name}, on the old one's manager and
     * device, as a leaf array ready for gradients. The old parameter is frozen, not closed: a
     * trainer may still hold and sync it.
     *
     * @param parameters the block's parameters by name
     * @param name the parameter's name
     * @param values the new values, row-major
     * @param shape the new shape
     */
    static void replace(
            Map<String, Parameter> parameters, String name, double[] values, Shape shape) {
        Parameter old = parameters.get(name);
        NDArray oldArray = old.getArray();
        NDManager manager = oldArray.getManager();
        NDArray array;
        try (NDManager scratch = manager.newSubManager(oldArray.getDevice())) {
            // Of the requested type already, toType returns the array itself, which keeps the Java
            // buffer it views alive; a copy from the PyTorch engine would be an alias without it.
            array = scratch.create(values, shape).toType(oldArray.getDataType(), false);
            array.attach(manager);
        }
        Parameter fresh =
                Parameter.builder()
                        .setName(name)
                        .setType(old.getType())
                        .optRequiresGrad(old.requiresGradient())
                        .build();
        fresh.setArray(array);
        if (fresh.requiresGradient()) {
            array.setRequiresGradient(true);
        }
        old.freeze(true);
        parameters.put(name, fresh);
    }
}
