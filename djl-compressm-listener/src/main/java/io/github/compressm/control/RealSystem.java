package io.github.compressm.control;

import io.github.compressm.ssm.Complex;
import io.github.compressm.ssm.DiagonalRealization;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * An immutable dense real discrete-time system {@code x_t = A x_{t-1} + B u_t}, {@code y_t = C
 * x_t}, in double precision.
 *
 * <p>Matrices are copied in and out. {@code A} is {@code order x order}, {@code B} is {@code order
 * x inputs}, {@code C} is {@code outputs x order}.
 */
final class RealSystem {

    private final DMatrixRMaj a;
    private final DMatrixRMaj b;
    private final DMatrixRMaj c;

    /**
     * Creates a system, validating shapes and finiteness.
     *
     * @param a the state matrix, {@code order x order}
     * @param b the input matrix, {@code order x inputs}
     * @param c the output matrix, {@code outputs x order}
     * @throws IllegalArgumentException if the shapes disagree, the order is 0, or an entry is NaN
     *     or infinite
     */
    RealSystem(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        int n = a.numRows;
        if (n < 1 || a.numCols != n) {
            throw new IllegalArgumentException(
                    "A must be square with at least one row, got " + a.numRows + "x" + a.numCols);
        }
        if (b.numRows != n || b.numCols < 1) {
            throw new IllegalArgumentException(
                    "B must be " + n + "x(inputs >= 1), got " + b.numRows + "x" + b.numCols);
        }
        if (c.numCols != n || c.numRows < 1) {
            throw new IllegalArgumentException(
                    "C must be (outputs >= 1)x" + n + ", got " + c.numRows + "x" + c.numCols);
        }
        requireFinite("A", a);
        requireFinite("B", b);
        requireFinite("C", c);
        this.a = a.copy();
        this.b = b.copy();
        this.c = c.copy();
    }

    /**
     * Returns the real realisation of order {@code 2n} of a diagonal system with output {@code Re(C
     * x)}.
     *
     * <p>Complex state {@code k} becomes the real pair {@code (Re x_k, Im x_k)} at positions {@code
     * 2k, 2k+1}: {@code A} is block diagonal with rotations {@code [[a, -b], [b, a]]} for {@code
     * lambda_k = a + ib}, the rows of {@code B} are {@code Re b_k} and {@code Im b_k}, and the
     * columns of {@code C} are {@code Re c_k} and {@code -Im c_k}. Both systems have the same
     * input-output map.
     *
     * @param d the diagonal realisation
     * @return the equivalent real system of order {@code 2 d.getStateSize()}
     */
    static RealSystem fromDiagonal(DiagonalRealization d) {
        int n = d.getStateSize();
        int m = d.getInputSize();
        int p = d.getOutputSize();
        DMatrixRMaj a = new DMatrixRMaj(2 * n, 2 * n);
        DMatrixRMaj b = new DMatrixRMaj(2 * n, m);
        DMatrixRMaj c = new DMatrixRMaj(p, 2 * n);
        for (int k = 0; k < n; k++) {
            Complex lambda = d.eigenvalue(k);
            a.set(2 * k, 2 * k, lambda.re());
            a.set(2 * k, 2 * k + 1, -lambda.im());
            a.set(2 * k + 1, 2 * k, lambda.im());
            a.set(2 * k + 1, 2 * k + 1, lambda.re());
            Complex[] row = d.inputRow(k);
            for (int j = 0; j < m; j++) {
                b.set(2 * k, j, row[j].re());
                b.set(2 * k + 1, j, row[j].im());
            }
            Complex[] column = d.outputColumn(k);
            for (int o = 0; o < p; o++) {
                c.set(o, 2 * k, column[o].re());
                c.set(o, 2 * k + 1, -column[o].im());
            }
        }
        return new RealSystem(a, b, c);
    }

    /**
     * Returns the state dimension.
     *
     * @return the order
     */
    int getOrder() {
        return a.numRows;
    }

    /**
     * Returns the number of inputs.
     *
     * @return the columns of {@code B}
     */
    int getInputSize() {
        return b.numCols;
    }

    /**
     * Returns the number of outputs.
     *
     * @return the rows of {@code C}
     */
    int getOutputSize() {
        return c.numRows;
    }

    /**
     * Returns a copy of the state matrix.
     *
     * @return {@code A}
     */
    DMatrixRMaj getA() {
        return a.copy();
    }

    /**
     * Returns a copy of the input matrix.
     *
     * @return {@code B}
     */
    DMatrixRMaj getB() {
        return b.copy();
    }

    /**
     * Returns a copy of the output matrix.
     *
     * @return {@code C}
     */
    DMatrixRMaj getC() {
        return c.copy();
    }

    /**
     * Returns the impulse response (Markov parameters) {@code h_k = C A^k B} for {@code k = 0 ..
     * steps-1}: the output at time {@code k} after a unit impulse at time 0 on each input.
     *
     * @param steps the number of samples, at least 1
     * @return {@code steps} matrices of size {@code outputs x inputs}
     */
    DMatrixRMaj[] impulseResponse(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        DMatrixRMaj[] h = new DMatrixRMaj[steps];
        DMatrixRMaj x = b.copy();
        DMatrixRMaj next = new DMatrixRMaj(x.numRows, x.numCols);
        for (int k = 0; k < steps; k++) {
            h[k] = new DMatrixRMaj(c.numRows, b.numCols);
            CommonOps_DDRM.mult(c, x, h[k]);
            CommonOps_DDRM.mult(a, x, next);
            DMatrixRMaj t = x;
            x = next;
            next = t;
        }
        return h;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "RealSystem{order="
                + getOrder()
                + ", inputs="
                + getInputSize()
                + ", outputs="
                + getOutputSize()
                + '}';
    }

    private static void requireFinite(String name, DMatrixRMaj m) {
        for (int i = 0; i < m.getNumElements(); i++) {
            double v = m.data[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        name + " has a non-finite entry (" + v + ") at index " + i);
            }
        }
    }
}
