package io.github.compressm.control.linalg;

import io.github.compressm.ssm.Complex;

/**
 * The eigenvalues of a real square matrix, with unit eigenvectors on demand, so one
 * eigendecomposition can serve callers that need only the eigenvalues and callers that also need
 * eigenvectors (in the control math: the state count of a reduction and its diagonal form). The
 * implementations are those of the kernels; {@link DenseAlgebra#spectrum} computes one. Internal,
 * not API.
 */
public abstract class Spectrum {

    private final Complex[] values;

    /**
     * Creates a spectrum.
     *
     * @param values the eigenvalues; complex ones in conjugate pairs
     */
    Spectrum(Complex[] values) {
        this.values = values;
    }

    /**
     * Returns the eigenvalues.
     *
     * @return the eigenvalues, complex ones in conjugate pairs; not copied, callers must not modify
     *     the array
     */
    public final Complex[] values() {
        return values;
    }

    /**
     * Returns a unit-norm (complex 2-norm) eigenvector for {@code values()[index]}.
     *
     * @param index the eigenvalue's position in {@link #values()}
     * @return {@code {re, im}}, each of the matrix' size
     */
    public abstract double[][] eigenvector(int index);
}
