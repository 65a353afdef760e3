package io.github.compressm.ssm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;

/**
 * A block's parameter arrays: read in a forward pass and in double precision, created from double
 * precision, and replaced by arrays of another shape.
 *
 * <p>A DJL {@link Parameter} cannot be resized, so {@link #replace} puts a new parameter object
 * under the old name; the old one is frozen, not closed: a trainer may still hold it and sync it
 * when it closes. The new array is a leaf attached to the old one's manager, on its device and of
 * its data type, with a gradient if the parameter trains, so a standard trainer picks it up and a
 * model saves it.
 */
final class ParameterArrays {

    private ParameterArrays() {}

    /**
     * Returns the parameters' values on the input's device as views owned by the input's manager:
     * DJL attaches the result of an operation to the manager of the array it is called on, so
     * arrays derived from a parameter directly would stay on the model's manager until the model is
     * closed (a leak of every intermediate, every step). A view shares the parameter's memory and
     * gradient.
     *
     * @param parameterStore the forward pass's parameter store
     * @param parameters the block's parameters by name
     * @param input the forward pass's input
     * @param training whether the forward pass trains
     * @return the views by name
     */
    static Map<String, NDArray> views(
            ParameterStore parameterStore,
            Map<String, Parameter> parameters,
            NDArray input,
            boolean training) {
        Map<String, NDArray> views = new HashMap<>();
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray value = parameterStore.getValue(entry.getValue(), input.getDevice(), training);
            NDArray view = value.reshape(value.getShape());
            view.attach(input.getManager());
            views.put(entry.getKey(), view);
        }
        return views;
    }

    /**
     * Returns the parameters' current values in double precision.
     *
     * @param parameters the block's parameters by name
     * @return the values by name, row-major
     */
    static Map<String, double[]> values(Map<String, Parameter> parameters) {
        Map<String, double[]> values = new HashMap<>();
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            values.put(entry.getKey(), values(entry.getValue()));
        }
        return values;
    }

    /**
     * Returns a parameter's current values in double precision.
     *
     * @param parameter the parameter
     * @return the values, row-major
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
     * Creates an array of the given values on {@code manager} and its device; the conversion's
     * intermediate arrays are freed.
     *
     * @param manager the manager (and device) of the array
     * @param values the values, row-major
     * @param shape the shape
     * @param dataType the data type
     * @return the new array
     */
    static NDArray create(NDManager manager, double[] values, Shape shape, DataType dataType) {
        return create(manager, values, shape, dataType, manager.getDevice());
    }

    /**
     * Puts a new parameter with the given values under {@code name}.
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
        NDArray array =
                create(
                        oldArray.getManager(),
                        values,
                        shape,
                        oldArray.getDataType(),
                        oldArray.getDevice());
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

    private static NDArray create(
            NDManager manager, double[] values, Shape shape, DataType dataType, Device device) {
        try (NDManager scratch = manager.newSubManager(device)) {
            // Of the requested type already, toType returns the array itself, which keeps the Java
            // buffer it views alive; a copy from the PyTorch engine would be an alias without it.
            NDArray array = scratch.create(values, shape).toType(dataType, false);
            array.attach(manager);
            return array;
        }
    }
}
