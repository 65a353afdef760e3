package io.github.compressm.listener;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.compressm.ssm.SsmBlock;

/**
 * Whether a layer's parameters can be analysed: initialised, finite, and the values the trainer
 * updates (a DJL trainer updates parameters in place only on its first device).
 */
final class ParameterHealth {

    private ParameterHealth() {}

    /**
     * Returns why a layer's parameters cannot be analysed, or null if they can.
     *
     * @param block the layer
     * @param live the trainer's first device, where parameters are updated in place
     * @return the problem, or null
     */
    static String problem(SsmBlock block, Device live) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            Parameter p = pair.getValue();
            if (!p.isInitialized()) {
                return "parameter " + pair.getKey() + " is not initialised";
            }
            NDArray array = p.getArray();
            if (!array.getDevice().equals(live)) {
                return "parameter "
                        + pair.getKey()
                        + " lives on "
                        + array.getDevice()
                        + ", but the trainer updates it in place only on its first device "
                        + live
                        + ", so its values there are stale";
            }
            if (!allFinite(array)) {
                return "parameter " + pair.getKey() + " has NaN or infinite values";
            }
        }
        return null;
    }

    private static boolean allFinite(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            for (float v : array.toFloatArray()) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
        if (!array.getDataType().isFloating()) {
            return true;
        }
        try (NDManager scope = array.getManager().newSubManager()) {
            NDArray wide = array.toType(DataType.FLOAT64, false);
            wide.attach(scope);
            for (double v : wide.toDoubleArray()) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
    }
}
