package io.github.compressm.control;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;

/**
 * The eigenvalues of a real square matrix, with unit eigenvectors on demand: computed once and
 * shared by the state count ({@link HankelAnalysis#stateCountForOrder}) and the diagonal form
 * ({@link DiagonalForm}).
 */
abstract class Spectrum {

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
    static Spectrum of(DMatrixRMaj a) {
        return DenseKernels.active().spectrum(a);
    }

    /** Returns the eigenvalues (not copied; callers must not modify them). */
    final Complex_F64[] values() {
        return values;
    }

    /**
     * Returns a unit-norm (complex 2-norm) eigenvector for {@code values()[index]}.
     *
     * @param index the eigenvalue's position in {@link #values()}
     * @return {@code {re, im}}, each of the matrix' size
     */
    abstract double[][] eigenvector(int index);
}
