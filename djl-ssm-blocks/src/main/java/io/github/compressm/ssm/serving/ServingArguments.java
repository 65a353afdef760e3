package io.github.compressm.ssm.serving;

import java.util.Map;

/**
 * Reads the entries of a saved model's {@code serving.properties}, with messages naming the key.
 */
final class ServingArguments {

    private ServingArguments() {}

    /**
     * Returns a required text entry.
     *
     * @param arguments the model's arguments
     * @param key the key
     * @return the value
     * @throws IllegalArgumentException if it is missing
     */
    static String text(Map<String, ?> arguments, String key) {
        Object value = arguments.get(key);
        if (value == null) {
            throw new IllegalArgumentException(
                    "The model has no '"
                            + key
                            + "' in its serving.properties: save it with --save-model DIR, which"
                            + " writes that file beside the parameters");
        }
        return value.toString();
    }

    /**
     * Returns a required whole-number entry.
     *
     * @param arguments the model's arguments
     * @param key the key
     * @return the value
     * @throws IllegalArgumentException if it is missing or not a whole number
     */
    static int integer(Map<String, ?> arguments, String key) {
        String value = text(arguments, key);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "serving.properties: '" + key + "' must be a whole number, got " + value, e);
        }
    }

    /**
     * Returns an optional number entry.
     *
     * @param arguments the model's arguments
     * @param key the key
     * @param fallback the value if the entry is missing
     * @return the value
     * @throws IllegalArgumentException if it is not a number
     */
    static double number(Map<String, ?> arguments, String key, double fallback) {
        Object value = arguments.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' must be a number, got " + value, e);
        }
    }
}
