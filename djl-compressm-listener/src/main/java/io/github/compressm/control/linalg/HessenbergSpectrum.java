package io.github.compressm.control.linalg;

import io.github.compressm.ssm.Complex;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.watched.WatchedDoubleStepQREigenvalue_DDRM;
import org.ejml.dense.row.decomposition.hessenberg.HessenbergSimilarDecomposition_DDRM;

/**
 * A spectrum in pure Java: the Hessenberg form {@code A = Q H Q^T} and EJML's implicit double-shift
 * QR for the eigenvalues; eigenvectors by inverse iteration on {@code H} ({@link
 * HessenbergInverseIteration}), mapped back by {@code Q}, because EJML returns none for complex
 * eigenvalues.
 */
final class HessenbergSpectrum extends Spectrum {

    private final HessenbergSimilarDecomposition_DDRM hessenberg;
    private HessenbergInverseIteration inverse;
    private DMatrixRMaj q;

    private HessenbergSpectrum(HessenbergSimilarDecomposition_DDRM hessenberg, Complex[] values) {
        super(values);
        this.hessenberg = hessenberg;
    }

    /**
     * Computes the Hessenberg form and the eigenvalues (implicit double-shift QR) of {@code a}.
     *
     * @param a a real square matrix, not modified
     * @return the spectrum
     * @throws IllegalStateException if the QR iteration does not converge
     */
    static HessenbergSpectrum of(DMatrixRMaj a) {
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
        Complex[] out = new Complex[r];
        Complex_F64[] found = qr.getEigenvalues();
        for (int i = 0; i < r; i++) {
            out[i] = new Complex(found[i].real, found[i].imaginary);
        }
        return new HessenbergSpectrum(hess, out);
    }

    /** {@inheritDoc} */
    @Override
    public synchronized double[][] eigenvector(int index) {
        if (inverse == null) {
            inverse = new HessenbergInverseIteration(hessenberg.getH(null));
            q = hessenberg.getQ(null);
        }
        Complex mu = values()[index];
        double[][] y = inverse.eigenvector(mu.re(), mu.im());
        return new double[][] {mult(q, y[0]), mult(q, y[1])};
    }

    private static double[] mult(DMatrixRMaj q, double[] y) {
        int r = q.numRows;
        double[] out = new double[r];
        for (int i = 0; i < r; i++) {
            double sum = 0;
            int row = i * q.numCols;
            for (int j = 0; j < q.numCols; j++) {
                sum += q.data[row + j] * y[j];
            }
            out[i] = sum;
        }
        return out;
    }
}
