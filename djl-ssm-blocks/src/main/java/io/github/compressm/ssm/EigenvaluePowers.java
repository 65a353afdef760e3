package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Powers {@code lambda^e = exp(-e decay) (cos(e frequency) + i sin(e frequency))} of a diagonal
 * layer's eigenvalues, the one formula both scans build their operators from.
 */
final class EigenvaluePowers {

    private EigenvaluePowers() {}

    /**
     * Returns the real and imaginary parts of {@code lambda^e} for every state and exponent.
     *
     * @param decay {@code -log|lambda|} per state, shape {@code (n)}
     * @param frequency {@code arg(lambda)} per state, shape {@code (n)}
     * @param exponents the exponents {@code e}
     * @param manager the manager of the exponents' array
     * @return {@code NDList(re, im)}, each of shape {@code (n, exponents.length)}, of the decay's
     *     data type
     */
    static NDList of(NDArray decay, NDArray frequency, float[] exponents, NDManager manager) {
        NDArray e =
                manager.create(exponents, new Shape(1, exponents.length))
                        .toType(decay.getDataType(), false);
        NDArray magnitude = decay.reshape(-1, 1).mul(e).neg().exp();
        NDArray angle = frequency.reshape(-1, 1).mul(e);
        return new NDList(magnitude.mul(angle.cos()), magnitude.mul(angle.sin()));
    }
}
