package io.github.compressm.control;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.watched.WatchedDoubleStepQREigenvalue_DDRM;
import org.ejml.dense.row.decomposition.hessenberg.HessenbergSimilarDecomposition_DDRM;

/**
 * The eigenvalues of a real square matrix together with its Hessenberg form {@code A = Q H Q^T},
 * computed once and shared by the state count and the eigenvectors of {@link DiagonalForm}.
 */
final class Spectrum {

    private final HessenbergSimilarDecomposition_DDRM hessenberg;
    private final Complex_F64[] values;

    private Spectrum(HessenbergSimilarDecomposition_DDRM hessenberg, Complex_F64[] values) {
        this.hessenberg = hessenberg;
        this.values = values;
    }

    /**
     * Computes the Hessenberg form and the eigenvalues (implicit double-shift QR) of {@code a}.
     *
     * @param a a real square matrix, not modified
     * @return the spectrum
     * @throws IllegalStateException if the QR iteration does not converge
     */
    static Spectrum of(DMatrixRMaj a) {
        int r = a.numRows;
        HessenbergSimilarDecomposition_DDRM hess = new HessenbergSimilarDecomposition_DDRM(r);
        if (!hess.decompose(a.copy())) {
            throw new IllegalStateException("Hessenberg reduction of a " + r + "x" + r + " failed");
        }
        WatchedDoubleStepQREigenvalue_DDRM qr = new WatchedDoubleStepQREigenvalue_DDRM();
        qr.getImplicitQR().createR = false;
        if (!qr.process(hess.getH(null))) {
            throw new IllegalStateException(
                    "Eigenvalue computation of a " + r + "x" + r + " reduced system failed");
        }
        Complex_F64[] out = new Complex_F64[r];
        Complex_F64[] found = qr.getEigenvalues();
        for (int i = 0; i < r; i++) {
            out[i] = new Complex_F64(found[i].real, found[i].imaginary);
        }
        return new Spectrum(hess, out);
    }

    /** Returns the eigenvalues (not copied; callers must not modify them). */
    Complex_F64[] values() {
        return values;
    }

    /** Returns the upper Hessenberg matrix {@code H}. */
    DMatrixRMaj h() {
        return hessenberg.getH(null);
    }

    /** Returns the orthogonal {@code Q} with {@code A = Q H Q^T}. */
    DMatrixRMaj q() {
        return hessenberg.getQ(null);
    }
}
