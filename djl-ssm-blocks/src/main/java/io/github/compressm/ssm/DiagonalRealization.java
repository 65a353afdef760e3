package io.github.compressm.ssm;

import java.util.Arrays;

/**
 * An immutable discrete-time linear system in complex diagonal form, in double precision.
 *
 * <p>The system maps real inputs {@code u_t} (length {@link #getInputSize()}) to real outputs
 * {@code y_t} (length {@link #getOutputSize()}) through a complex state {@code x_t} of size {@link
 * #getStateSize()}:
 *
 * <pre>
 *   x_t = diag(lambda) x_{t-1} + B u_t
 *   y_t = Re(C x_t)
 * </pre>
 *
 * <p>The direct feedthrough term of a layer is not part of the realisation: compression leaves it
 * untouched. Complex entries are stored as pairs of real arrays. {@code B} is {@code state x
 * input}, {@code C} is {@code output x state}; arrays are copied in and out so an instance can be
 * shared freely. Per state, {@link #eigenvalue(int)}, {@link #inputRow(int)} and {@link
 * #outputColumn(int)} return the same entries as {@link Complex} values.
 *
 * <p>This is the exchange format between SSM blocks ({@link DiagonalSsmBlock}) and the
 * control-theory code that computes Hankel singular values and truncates.
 */
public final class DiagonalRealization {

    private final double[] lambdaRe;
    private final double[] lambdaIm;
    private final double[][] bRe;
    private final double[][] bIm;
    private final double[][] cRe;
    private final double[][] cIm;

    /**
     * Creates a realisation, validating shapes and finiteness.
     *
     * @param lambdaRe real parts of the eigenvalues, length {@code n}
     * @param lambdaIm imaginary parts of the eigenvalues, length {@code n}
     * @param bRe real part of the input matrix, {@code n x inputs}
     * @param bIm imaginary part of the input matrix, {@code n x inputs}
     * @param cRe real part of the output matrix, {@code outputs x n}
     * @param cIm imaginary part of the output matrix, {@code outputs x n}
     * @throws IllegalArgumentException if shapes disagree, {@code n < 1}, or an entry is NaN or
     *     infinite
     */
    public DiagonalRealization(
            double[] lambdaRe,
            double[] lambdaIm,
            double[][] bRe,
            double[][] bIm,
            double[][] cRe,
            double[][] cIm) {
        int n = lambdaRe.length;
        if (n < 1) {
            throw new IllegalArgumentException("A realisation needs at least one state, got 0");
        }
        requireLength("lambdaIm", lambdaIm.length, n);
        int inputs =
                MatrixChecks.requireShape("B (real part)", bRe, n, MatrixChecks.ANY, "n x inputs");
        MatrixChecks.requireShape("B (imaginary part)", bIm, n, inputs, "n x inputs");
        MatrixChecks.requireShape("C (real part)", cRe, MatrixChecks.ANY, n, "outputs x n");
        MatrixChecks.requireShape("C (imaginary part)", cIm, cRe.length, n, "outputs x n");
        this.lambdaRe = lambdaRe.clone();
        this.lambdaIm = lambdaIm.clone();
        this.bRe = deepCopy(bRe);
        this.bIm = deepCopy(bIm);
        this.cRe = deepCopy(cRe);
        this.cIm = deepCopy(cIm);
        requireFinite("lambda", this.lambdaRe, this.lambdaIm);
        requireFinite("B", this.bRe);
        requireFinite("B", this.bIm);
        requireFinite("C", this.cRe);
        requireFinite("C", this.cIm);
    }

    /**
     * Returns the number of (complex) states.
     *
     * @return the state size {@code n}
     */
    public int getStateSize() {
        return lambdaRe.length;
    }

    /**
     * Returns the number of inputs (columns of {@code B}).
     *
     * @return the input size
     */
    public int getInputSize() {
        return bRe[0].length;
    }

    /**
     * Returns the number of outputs (rows of {@code C}).
     *
     * @return the output size
     */
    public int getOutputSize() {
        return cRe.length;
    }

    /**
     * Returns a copy of the real parts of the eigenvalues.
     *
     * @return {@code Re(lambda)}, length {@code n}
     */
    public double[] getLambdaRe() {
        return lambdaRe.clone();
    }

    /**
     * Returns a copy of the imaginary parts of the eigenvalues.
     *
     * @return {@code Im(lambda)}, length {@code n}
     */
    public double[] getLambdaIm() {
        return lambdaIm.clone();
    }

    /**
     * Returns a copy of the real part of {@code B}.
     *
     * @return {@code Re(B)}, {@code n x inputs}
     */
    public double[][] getBRe() {
        return deepCopy(bRe);
    }

    /**
     * Returns a copy of the imaginary part of {@code B}.
     *
     * @return {@code Im(B)}, {@code n x inputs}
     */
    public double[][] getBIm() {
        return deepCopy(bIm);
    }

    /**
     * Returns a copy of the real part of {@code C}.
     *
     * @return {@code Re(C)}, {@code outputs x n}
     */
    public double[][] getCRe() {
        return deepCopy(cRe);
    }

    /**
     * Returns a copy of the imaginary part of {@code C}.
     *
     * @return {@code Im(C)}, {@code outputs x n}
     */
    public double[][] getCIm() {
        return deepCopy(cIm);
    }

    /**
     * Returns eigenvalue {@code k}, without copying the arrays.
     *
     * @param k the state, in {@code [0, getStateSize())}
     * @return {@code lambda_k}
     * @throws IndexOutOfBoundsException if {@code k} is out of range
     */
    public Complex eigenvalue(int k) {
        return new Complex(lambdaRe[k], lambdaIm[k]);
    }

    /**
     * Returns row {@code k} of {@code B}: how the inputs drive state {@code k}.
     *
     * @param k the state, in {@code [0, getStateSize())}
     * @return {@code B[k][j]} for every input {@code j}, a new array of length {@link
     *     #getInputSize()}
     * @throws IndexOutOfBoundsException if {@code k} is out of range
     */
    public Complex[] inputRow(int k) {
        Complex[] row = new Complex[bRe[k].length];
        for (int j = 0; j < row.length; j++) {
            row[j] = new Complex(bRe[k][j], bIm[k][j]);
        }
        return row;
    }

    /**
     * Returns column {@code k} of {@code C}: how state {@code k} reaches the outputs.
     *
     * @param k the state, in {@code [0, getStateSize())}
     * @return {@code C[o][k]} for every output {@code o}, a new array of length {@link
     *     #getOutputSize()}
     * @throws IndexOutOfBoundsException if {@code k} is out of range
     */
    public Complex[] outputColumn(int k) {
        Complex[] column = new Complex[cRe.length];
        for (int o = 0; o < column.length; o++) {
            column[o] = new Complex(cRe[o][k], cIm[o][k]);
        }
        return column;
    }

    /**
     * Returns the largest eigenvalue modulus, the spectral radius of {@code diag(lambda)}.
     *
     * @return {@code max |lambda_i|}
     */
    public double spectralRadius() {
        double max = 0;
        for (int i = 0; i < lambdaRe.length; i++) {
            max = Math.max(max, Math.hypot(lambdaRe[i], lambdaIm[i]));
        }
        return max;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "DiagonalRealization{states="
                + getStateSize()
                + ", inputs="
                + getInputSize()
                + ", outputs="
                + getOutputSize()
                + ", spectralRadius="
                + spectralRadius()
                + '}';
    }

    private static void requireLength(String name, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(
                    name + " must have length " + expected + ", got " + actual);
        }
    }

    private static void requireFinite(String name, double[]... arrays) {
        for (double[] a : arrays) {
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(
                            name
                                    + " has a non-finite entry ("
                                    + v
                                    + "): the layer's parameters diverged; lower the learning"
                                    + " rate or clip gradients");
                }
            }
        }
    }

    private static double[][] deepCopy(double[][] m) {
        return Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
    }
}
