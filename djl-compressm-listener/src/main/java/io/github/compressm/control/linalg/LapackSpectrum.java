package io.github.compressm.control.linalg;

import io.github.compressm.ssm.Complex;

/**
 * A spectrum from LAPACK's {@code dgeev}: eigenvalues with the right eigenvectors in LAPACK's
 * packed real form (a real eigenvalue's vector in its column; for a pair {@code j, j + 1} with
 * {@code Im lambda_j > 0}, {@code v_j = col_j + i col_{j+1}} and {@code v_{j+1} = conj v_j}), each
 * of unit 2-norm.
 */
final class LapackSpectrum extends Spectrum {

    private final int r;
    private final double[] im;
    private final double[] vectors;

    /**
     * Wraps the output of {@code dgeev}.
     *
     * @param re real parts of the eigenvalues
     * @param im imaginary parts of the eigenvalues
     * @param vectors the right eigenvectors, row-major {@code r x r}, in LAPACK's packed form
     */
    LapackSpectrum(double[] re, double[] im, double[] vectors) {
        super(values(re, im));
        this.r = re.length;
        this.im = im;
        this.vectors = vectors;
    }

    /** {@inheritDoc} */
    @Override
    public double[][] eigenvector(int index) {
        if (im[index] == 0) {
            return new double[][] {column(index, 1), new double[r]};
        }
        if (im[index] > 0) {
            return new double[][] {column(index, 1), column(index + 1, 1)};
        }
        return new double[][] {column(index - 1, 1), column(index, -1)};
    }

    private double[] column(int col, double sign) {
        double[] out = new double[r];
        for (int i = 0; i < r; i++) {
            out[i] = sign * vectors[i * r + col];
        }
        return out;
    }

    private static Complex[] values(double[] re, double[] im) {
        Complex[] out = new Complex[re.length];
        for (int i = 0; i < re.length; i++) {
            out[i] = new Complex(re[i], im[i]);
        }
        return out;
    }
}
