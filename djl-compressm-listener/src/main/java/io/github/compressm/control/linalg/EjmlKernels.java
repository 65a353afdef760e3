package io.github.compressm.control.linalg;

import java.util.Arrays;
import java.util.function.Consumer;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.MatrixFeatures_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Pure-Java {@link DenseKernels} on EJML: Golub-Kahan SVD, Hessenberg reduction with double-shift
 * QR eigenvalues and inverse-iteration eigenvectors ({@link HessenbergSpectrum}), and products on
 * EJML's two-thread kernels when large.
 */
final class EjmlKernels implements DenseKernels {

    /** Products with at least this many multiply-adds use EJML's two-thread kernels. */
    private static final long CONCURRENT_WORK = 1L << 24;

    /** {@inheritDoc} */
    @Override
    public LinearAlgebraBackend backend() {
        return LinearAlgebraBackend.EJML;
    }

    /** {@inheritDoc} */
    @Override
    public DMatrixRMaj mult(DMatrixRMaj x, DMatrixRMaj y) {
        return product(
                x.numRows,
                x.numCols,
                y.numCols,
                out -> CommonOps_MT_DDRM.mult(x, y, out),
                out -> CommonOps_DDRM.mult(x, y, out));
    }

    /** {@inheritDoc} */
    @Override
    public DMatrixRMaj multTransA(DMatrixRMaj x, DMatrixRMaj y) {
        return product(
                x.numCols,
                x.numRows,
                y.numCols,
                out -> CommonOps_MT_DDRM.multTransA(x, y, out),
                out -> CommonOps_DDRM.multTransA(x, y, out));
    }

    /** {@inheritDoc} */
    @Override
    public DMatrixRMaj multTransB(DMatrixRMaj x, DMatrixRMaj y) {
        return product(
                x.numRows,
                x.numCols,
                y.numRows,
                out -> CommonOps_MT_DDRM.multTransB(x, y, out),
                out -> CommonOps_DDRM.multTransB(x, y, out));
    }

    /**
     * Returns an {@code m x n} product with inner size {@code k}, on two threads when it has at
     * least {@link #CONCURRENT_WORK} multiply-adds.
     */
    private static DMatrixRMaj product(
            int m, int k, int n, Consumer<DMatrixRMaj> concurrent, Consumer<DMatrixRMaj> serial) {
        DMatrixRMaj out = new DMatrixRMaj(m, n);
        if ((long) m * k * n >= CONCURRENT_WORK) {
            concurrent.accept(out);
        } else {
            serial.accept(out);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public DMatrixRMaj pivotedCholesky(DMatrixRMaj sym, double floor) {
        return PsdFactor.pivotedCholesky(sym, floor);
    }

    /** {@inheritDoc} */
    @Override
    public DMatrixRMaj invert(DMatrixRMaj a) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
        // EJML reports only some singular matrices; the others give non-finite entries.
        boolean inverted = CommonOps_DDRM.invert(a, out);
        return inverted && !MatrixFeatures_DDRM.hasUncountable(out) ? out : null;
    }

    /** {@inheritDoc} */
    @Override
    public Svd svd(DMatrixRMaj m, boolean left) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = decompose(m, left, true);
        DMatrixRMaj u = left ? svd.getU(null, false) : null;
        DMatrixRMaj v = svd.getV(null, false);
        double[] values = svd.getSingularValues().clone();
        int count = svd.numberOfSingularValues();
        SingularOps_DDRM.descendingOrder(u, false, values, count, v, false);
        return new Svd(values, u, v);
    }

    /** {@inheritDoc} */
    @Override
    public double[] singularValues(DMatrixRMaj m) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = decompose(m, false, false);
        double[] values = Arrays.copyOf(svd.getSingularValues(), svd.numberOfSingularValues());
        SingularOps_DDRM.descendingOrder(null, false, values, values.length, null, false);
        return values;
    }

    /** The compact SVD of a copy of {@code m}, with the singular vectors asked for. */
    private static SingularValueDecomposition_F64<DMatrixRMaj> decompose(
            DMatrixRMaj m, boolean left, boolean right) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(m.numRows, m.numCols, left, right, true);
        if (!svd.decompose(m.copy())) {
            throw new IllegalStateException(
                    "SVD of a " + m.numRows + "x" + m.numCols + " matrix failed to converge");
        }
        return svd;
    }

    /** {@inheritDoc} */
    @Override
    public Spectrum spectrum(DMatrixRMaj a) {
        return HessenbergSpectrum.of(a);
    }
}
