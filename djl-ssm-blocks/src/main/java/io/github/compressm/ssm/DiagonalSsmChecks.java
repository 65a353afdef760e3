package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The checks of a diagonal layer's settings, inputs and new systems, each failing with a message
 * that names the layer, the problem and the fix.
 */
final class DiagonalSsmChecks {

    private final String block;

    /**
     * Creates the checks of one layer.
     *
     * @param block the layer's name, for the messages
     */
    DiagonalSsmChecks(String block) {
        this.block = block;
    }

    /**
     * Checks the settings every diagonal layer's builder shares.
     *
     * @param family the layer's name, for the messages
     * @param stateSize the state size
     * @param chunkLength the chunk length, 0 for automatic
     * @param scan the scan
     */
    static void requireSettings(String family, int stateSize, int chunkLength, DiagonalScan scan) {
        if (stateSize < 1) {
            throw new IllegalArgumentException(
                    family
                            + " state size must be at least 1, got "
                            + stateSize
                            + " (set it with setStateSize)");
        }
        if (chunkLength < 0) {
            throw new IllegalArgumentException(
                    "chunkLength must be 0 (automatic) or positive, got " + chunkLength);
        }
        if (scan == null) {
            throw new IllegalArgumentException(
                    family
                            + " scan must be one of "
                            + Arrays.toString(DiagonalScan.values())
                            + ", got null (leave optScan unset for CHUNKED)");
        }
    }

    /**
     * Checks the shapes a block is initialised for, up to the input's rank: {@code (batch, time,
     * features)}, optionally followed by {@code (batch, 2, stateSize)}.
     *
     * @param inputShapes the shapes
     */
    void requireInputRank(Shape[] inputShapes) {
        requireInputCount(inputShapes.length);
        requireRank(inputShapes[0]);
    }

    /**
     * Checks the rest of the shapes a block is initialised for: at least one feature, and the
     * initial state's shape.
     *
     * @param inputShapes the shapes
     * @param stateSize the block's state size
     */
    void requireShapes(Shape[] inputShapes, int stateSize) {
        Shape shape = inputShapes[0];
        if (shape.get(2) < 1) {
            throw new IllegalArgumentException(
                    block + " needs at least one feature, got input shape " + shape);
        }
        if (inputShapes.length > 1) {
            requireStateShape(inputShapes[1], shape.get(0), stateSize);
        }
    }

    /**
     * Checks the shapes of a forward pass's {@code NDList(input)} or {@code NDList(input,
     * initialState)}.
     *
     * @param inputs the inputs
     * @param features the block's feature size
     * @param stateSize the block's state size
     */
    void requireInputs(NDList inputs, long features, int stateSize) {
        requireInputCount(inputs.size());
        Shape shape = inputs.get(0).getShape();
        requireRank(shape);
        if (shape.get(2) != features) {
            throw new IllegalArgumentException(
                    block
                            + " was initialised for "
                            + features
                            + " features, but the input has shape "
                            + shape
                            + "; expected (batch, time, "
                            + features
                            + ")");
        }
        if (shape.get(1) < 1 || shape.get(0) < 1) {
            throw new IllegalArgumentException(
                    block + " needs at least one sequence of at least one step, got " + shape);
        }
        if (inputs.size() > 1) {
            requireStateShape(inputs.get(1).getShape(), shape.get(0), stateSize);
        }
    }

    /**
     * Checks that a forward pass's input and initial state have the parameters' data type.
     *
     * @param inputs the inputs
     * @param parameter one of the parameters
     */
    void requireDataTypes(NDList inputs, NDArray parameter) {
        requireDataType("input", inputs.get(0), parameter);
        if (inputs.size() > 1) {
            requireDataType("initial state", inputs.get(1), parameter);
        }
    }

    /**
     * Checks parameter values given by name against the block's sizes.
     *
     * @param values the values by name
     * @param names the block's parameter names
     * @param stateSize the block's state size
     * @param features the block's features, or -1 before initialisation or loading
     * @throws IllegalStateException if the block has no feature size yet
     * @throws IllegalArgumentException if a parameter is missing or has the wrong size
     */
    void requireParameterValues(
            Map<String, double[]> values, Set<String> names, int stateSize, long features) {
        if (features < 1) {
            throw new IllegalStateException(
                    "The " + block + " block has no feature size yet: initialise it or load it");
        }
        int h = Math.toIntExact(features);
        for (String name : names) {
            int size =
                    switch (name) {
                        case DiagonalParameters.B_RE,
                                DiagonalParameters.B_IM,
                                DiagonalParameters.C_RE,
                                DiagonalParameters.C_IM ->
                                stateSize * h;
                        case DiagonalParameters.D -> h;
                        default -> stateSize;
                    };
            double[] v = values.get(name);
            if (v == null || v.length != size) {
                throw new IllegalArgumentException(
                        block
                                + " parameter "
                                + name
                                + " must have "
                                + size
                                + " values, got "
                                + (v == null ? "none" : Integer.toString(v.length)));
            }
        }
    }

    /**
     * Checks that the block has parameters to read or replace.
     *
     * @param initialized whether the block is initialised
     */
    void requireInitialized(boolean initialized) {
        if (!initialized) {
            throw new IllegalStateException(
                    "The "
                            + block
                            + " block is not initialised: call initialize() or run a forward pass"
                            + " first");
        }
    }

    /**
     * Checks that a new system has the layer's inputs and outputs.
     *
     * @param realization the new system
     * @param features the block's feature size
     */
    void requireSystemSize(DiagonalRealization realization, long features) {
        if (realization.getInputSize() != features || realization.getOutputSize() != features) {
            throw new IllegalArgumentException(
                    "The realisation must have "
                            + features
                            + " inputs and outputs (the layer's features), got "
                            + realization.getInputSize()
                            + " inputs and "
                            + realization.getOutputSize()
                            + " outputs");
        }
    }

    /**
     * Checks that a state of a new system is stable.
     *
     * @param i the state
     * @param lambda its eigenvalue
     */
    void requireStable(int i, Complex lambda) {
        if (!(lambda.abs() < 1)) {
            throw new IllegalArgumentException(
                    "State "
                            + i
                            + " has |lambda| = "
                            + lambda.abs()
                            + ", but a "
                            + block
                            + " state must be stable (|lambda| < 1); clamp the"
                            + " eigenvalues of the realisation first");
        }
    }

    private void requireInputCount(int count) {
        if (count < 1 || count > 2) {
            throw new IllegalArgumentException(
                    block
                            + " expects NDList(input) or NDList(input, initialState), got "
                            + count
                            + " arrays");
        }
    }

    private void requireRank(Shape shape) {
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException(
                    block + " expects input of shape (batch, time, features), got " + shape);
        }
    }

    private void requireStateShape(Shape shape, long batch, int stateSize) {
        Shape expected = new Shape(batch, 2, stateSize);
        if (!shape.equals(expected)) {
            throw new IllegalArgumentException(
                    block
                            + " initial state must have shape (batch, 2, stateSize) = "
                            + expected
                            + " (real parts at [:, 0, :], imaginary parts at [:, 1, :]), got "
                            + shape);
        }
    }

    private void requireDataType(String what, NDArray array, NDArray parameter) {
        if (array.getDataType() != parameter.getDataType()) {
            throw new IllegalArgumentException(
                    block
                            + " "
                            + what
                            + " must have the parameters' data type "
                            + parameter.getDataType()
                            + ", got "
                            + array.getDataType());
        }
    }
}
