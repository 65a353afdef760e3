package io.github.compressm.control.linalg;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;

/**
 * The eigenvalues of a real square matrix, with unit eigenvectors on demand, so one
 * eigendecomposition can serve callers that need only the eigenvalues and callers that also need
 * eigenvectors (in the control math: the state count of a reduction and its diagonal form). The
 * implementations are those of {@link DenseKernels#spectrum}.
 */
public abstract class Spectrum {

    private final Complex_F64[] values;

    /**
     * Creates a spectrum.
     *
     * @param values the eigenvalues; complex ones in conjugate pairs
     */
    Spectrum(Complex_F64[] values) {
        this.values = values;
    }

    /**
     * Computes the spectrum of {@code a} with the active {@link DenseKernels}.
     *
     * @param a a real square matrix, not modified
     * @return the spectrum
     * @throws IllegalStateException if the eigenvalue iteration does not converge
     */
    public static Spectrum of(DMatrixRMaj a) {
        return DenseKernels.active().spectrum(a);
    }

    /**
     * Returns the eigenvalues.
     *
     * @return the eigenvalues, complex ones in conjugate pairs; not copied, callers must not modify
     *     them
     */
    public final Complex_F64[] values() {
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
