package io.github.compressm.ssm;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The parameters of a complex diagonal layer: the family's state parameters of shape {@code
 * (state)}, then {@code B_re, B_im} of shape {@code (state, features)}, {@code C_re, C_im} of shape
 * {@code (features, state)} and {@code D} of shape {@code (features)}, in the order a saved model
 * holds them.
 */
final class DiagonalParameters {

    static final String B_RE = "B_re";
    static final String B_IM = "B_im";
    static final String C_RE = "C_re";
    static final String C_IM = "C_im";
    static final String D = "D";

    private DiagonalParameters() {}

    /**
     * Creates the parameters, without shapes.
     *
     * @param stateParameters the names of the family's state parameters, in the order they
     *     initialise
     * @param initializers the initialiser of each state parameter, by name
     * @return the state parameters, then {@code B_re, B_im, C_re, C_im, D}
     */
    static List<Parameter> create(
            List<String> stateParameters, Function<String, Initializer> initializers) {
        List<Parameter> created = new ArrayList<>();
        for (String name : stateParameters) {
            created.add(
                    Parameter.builder()
                            .setName(name)
                            .setType(Parameter.Type.OTHER)
                            .optInitializer(initializers.apply(name))
                            .build());
        }
        for (String name : new String[] {B_RE, B_IM, C_RE, C_IM, D}) {
            created.add(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build());
        }
        return created;
    }

    /**
     * Sets the shapes, and the initialisers of the shared parameters: {@code B ~ N(0, 1 / (2
     * features))} and {@code C ~ N(0, 1 / stateSize)} per real and imaginary part, {@code D ~ N(0,
     * 1)}.
     *
     * @param parameters the block's parameters by name
     * @param stateSize the number of states
     * @param features the number of input and output features
     */
    static void prepare(Map<String, Parameter> parameters, int stateSize, long features) {
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            entry.getValue().setShape(shape(entry.getKey(), stateSize, features));
        }
        NormalInitializer inputInit = new NormalInitializer((float) Math.sqrt(0.5 / features));
        NormalInitializer outputInit = new NormalInitializer((float) Math.sqrt(1.0 / stateSize));
        parameters.get(B_RE).setInitializer(inputInit);
        parameters.get(B_IM).setInitializer(inputInit);
        parameters.get(C_RE).setInitializer(outputInit);
        parameters.get(C_IM).setInitializer(outputInit);
        parameters.get(D).setInitializer(new NormalInitializer(1f));
    }

    /**
     * Replaces parameters by new ones for another number of states ({@link
     * ParameterArrays#replace}).
     *
     * @param parameters the block's parameters by name
     * @param values the new values by name, row-major; parameters without an entry are kept
     * @param stateSize the new number of states
     * @param features the number of input and output features
     */
    static void replace(
            Map<String, Parameter> parameters,
            Map<String, double[]> values,
            int stateSize,
            long features) {
        for (String name : new ArrayList<>(parameters.keySet())) {
            if (values.containsKey(name)) {
                ParameterArrays.replace(
                        parameters, name, values.get(name), shape(name, stateSize, features));
            }
        }
    }

    private static Shape shape(String name, long stateSize, long features) {
        return switch (name) {
            case B_RE, B_IM -> new Shape(stateSize, features);
            case C_RE, C_IM -> new Shape(features, stateSize);
            case D -> new Shape(features);
            default -> new Shape(stateSize);
        };
    }
}
