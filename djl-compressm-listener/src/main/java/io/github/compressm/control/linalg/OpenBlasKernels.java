package io.github.compressm.control.linalg;

import static org.bytedeco.openblas.global.openblas_full.LAPACKE_dgeev;
import static org.bytedeco.openblas.global.openblas_full.LAPACKE_dgesdd;
import static org.bytedeco.openblas.global.openblas_full.LAPACKE_dgetrf;
import static org.bytedeco.openblas.global.openblas_full.LAPACKE_dgetri;
import static org.bytedeco.openblas.global.openblas_full.LAPACKE_dpstrf;
import static org.bytedeco.openblas.global.openblas_full.LAPACK_ROW_MAJOR;
import static org.bytedeco.openblas.global.openblas_full.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_full.openblas_set_num_threads;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Native {@link DenseKernels} on OpenBLAS through JavaCPP: {@code dgemm} products, the
 * divide-and-conquer SVD {@code dgesdd}, and {@code dgeev} for eigenvalues and eigenvectors ({@link
 * LapackSpectrum}), {@code dpstrf} and {@code dgetrf}/{@code dgetri}. Arrays are passed row-major;
 * JavaCPP copies them across JNI, an {@code O(n^2)} cost next to the {@code O(n^3)} work.
 *
 * <p>Every native call runs on one dedicated daemon thread with a {@value #NATIVE_STACK_MB} MB
 * stack: OpenBLAS puts work buffers on the calling thread's stack, which overflowed the JVM's
 * default thread stack (a crash, not an exception) in LU factorisations of a few hundred rows.
 * Calls are coarse ({@code O(n^3)} each), so the hand-off costs nothing measurable.
 *
 * <p>The thread count is set once, at loading, to {@link LinearAlgebraBackend#THREADS_PROPERTY}'s
 * value (see there). It is set through OpenBLAS' own {@code openblas_set_num_threads}, never
 * through JavaCPP's {@code blas_set_num_threads}: that helper looks the MKL thread functions up
 * process-wide, so it would also change the MKL inside PyTorch.
 */
final class OpenBlasKernels implements DenseKernels {

    private static final int CBLAS_ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final int NATIVE_STACK_MB = 256;

    private static final ExecutorService NATIVE =
            Executors.newSingleThreadExecutor(
                    task -> {
                        Thread thread =
                                new Thread(
                                        null,
                                        task,
                                        "compressm-openblas",
                                        (long) NATIVE_STACK_MB << 20);
                        thread.setDaemon(true);
                        return thread;
                    });

    private OpenBlasKernels() {}

    /**
     * Loads the native library, sets its thread count and checks it with a small product.
     *
     * @param threads the number of OpenBLAS threads, or 0 to keep OpenBLAS' own
     * @return the kernels
     * @throws LinkageError if JavaCPP or the native OpenBLAS is not on the classpath
     * @throws IllegalStateException if the native product is wrong
     */
    static OpenBlasKernels load(int threads) {
        OpenBlasKernels kernels = new OpenBlasKernels();
        if (threads > 0) {
            onNativeThread(
                    () -> {
                        openblas_set_num_threads(threads);
                        return null;
                    });
        }
        DMatrixRMaj x = new DMatrixRMaj(2, 2, true, 1, 2, 3, 4);
        DMatrixRMaj product = kernels.mult(x, x);
        if (product.get(0, 0) != 7 || product.get(0, 1) != 10 || product.get(1, 1) != 22) {
            throw new IllegalStateException("Native dgemm self-check failed: " + product);
        }
        return kernels;
    }

    /** {@inheritDoc} */
    @Override
    public LinearAlgebraBackend backend() {
        return LinearAlgebraBackend.OPENBLAS;
    }

    /** {@inheritDoc} */
    @Override
    public DMatrixRMaj mult(DMatrixRMaj x, DMatrixRMaj y) {
        return gemm(false, false, x, y, x.numRows, y.numCols, x.numCols);
    }

    /** {@inheritDoc} */
    @Override
    public DMatrixRMaj multTransA(DMatrixRMaj x, DMatrixRMaj y) {
        return gemm(true, false, x, y, x.numCols, y.numCols, x.numRows);
    }

    /** {@inheritDoc} */
    @Override
    public DMatrixRMaj multTransB(DMatrixRMaj x, DMatrixRMaj y) {
        return gemm(false, true, x, y, x.numRows, y.numRows, x.numCols);
    }

    private static DMatrixRMaj gemm(
            boolean transX, boolean transY, DMatrixRMaj x, DMatrixRMaj y, int m, int n, int k) {
        int inner = transY ? y.numCols : y.numRows;
        if (k != inner) {
            throw new IllegalArgumentException(
                    "Matrix product of incompatible shapes: inner sizes " + k + " and " + inner);
        }
        DMatrixRMaj out = new DMatrixRMaj(m, n);
        if (m == 0 || n == 0 || k == 0) {
            return out;
        }
        return onNativeThread(
                () -> {
                    cblas_dgemm(
                            CBLAS_ROW_MAJOR,
                            transX ? TRANS : NO_TRANS,
                            transY ? TRANS : NO_TRANS,
                            m,
                            n,
                            k,
                            1,
                            x.data,
                            x.numCols,
                            y.data,
                            y.numCols,
                            0,
                            out.data,
                            n);
                    return out;
                });
    }

    /** {@inheritDoc} */
    @Override
    public DMatrixRMaj pivotedCholesky(DMatrixRMaj sym, double floor) {
        int n = sym.numRows;
        double[] factor = sym.data.clone();
        int[] pivots = new int[n];
        int[] rank = new int[1];
        int info =
                onNativeThread(
                        () ->
                                LAPACKE_dpstrf(
                                        LAPACK_ROW_MAJOR,
                                        (byte) 'L',
                                        n,
                                        factor,
                                        n,
                                        pivots,
                                        rank,
                                        floor));
        // info 1 reports a rank-deficient matrix, which is expected here.
        requireSuccess(info == 1 ? 0 : info, "dpstrf", "Pivoted Cholesky", n, n);
        int r = rank[0];
        // P^T S P = L L^T: row i of L belongs to the original row pivots[i] - 1.
        DMatrixRMaj l = new DMatrixRMaj(n, r);
        for (int i = 0; i < n; i++) {
            int row = (pivots[i] - 1) * r;
            System.arraycopy(factor, i * n, l.data, row, Math.min(i + 1, r));
        }
        return l;
    }

    /** {@inheritDoc} */
    @Override
    public DMatrixRMaj invert(DMatrixRMaj a) {
        int n = a.numRows;
        DMatrixRMaj out = a.copy();
        if (n == 0) {
            return out;
        }
        int[] pivots = new int[n];
        int info =
                onNativeThread(
                        () -> {
                            int factored =
                                    LAPACKE_dgetrf(LAPACK_ROW_MAJOR, n, n, out.data, n, pivots);
                            return factored == 0
                                    ? LAPACKE_dgetri(LAPACK_ROW_MAJOR, n, out.data, n, pivots)
                                    : factored;
                        });
        if (info > 0) {
            return null;
        }
        requireSuccess(info, "dgetrf/dgetri", "Inversion", n, n);
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public Svd svd(DMatrixRMaj m, boolean left) {
        int rows = m.numRows;
        int cols = m.numCols;
        int k = Math.min(rows, cols);
        double[] values = new double[k];
        DMatrixRMaj u = new DMatrixRMaj(rows, k);
        DMatrixRMaj vt = new DMatrixRMaj(k, cols);
        int info =
                onNativeThread(
                        () ->
                                LAPACKE_dgesdd(
                                        LAPACK_ROW_MAJOR,
                                        (byte) 'S',
                                        rows,
                                        cols,
                                        m.data.clone(),
                                        cols,
                                        values,
                                        u.data,
                                        k,
                                        vt.data,
                                        cols));
        requireSuccess(info, "dgesdd", "SVD", rows, cols);
        DMatrixRMaj v = new DMatrixRMaj(cols, k);
        CommonOps_DDRM.transpose(vt, v);
        return new Svd(values, u, v);
    }

    /** {@inheritDoc} */
    @Override
    public double[] singularValues(DMatrixRMaj m) {
        int rows = m.numRows;
        int cols = m.numCols;
        double[] values = new double[Math.min(rows, cols)];
        int info =
                onNativeThread(
                        () ->
                                LAPACKE_dgesdd(
                                        LAPACK_ROW_MAJOR,
                                        (byte) 'N',
                                        rows,
                                        cols,
                                        m.data.clone(),
                                        cols,
                                        values,
                                        new double[1],
                                        1,
                                        new double[1],
                                        1));
        requireSuccess(info, "dgesdd", "SVD", rows, cols);
        return values;
    }

    /** {@inheritDoc} */
    @Override
    public Spectrum spectrum(DMatrixRMaj a) {
        int r = a.numRows;
        double[] re = new double[r];
        double[] im = new double[r];
        double[] vectors = new double[r * r];
        int info =
                onNativeThread(
                        () ->
                                LAPACKE_dgeev(
                                        LAPACK_ROW_MAJOR,
                                        (byte) 'N',
                                        (byte) 'V',
                                        r,
                                        a.data.clone(),
                                        r,
                                        re,
                                        im,
                                        new double[1],
                                        1,
                                        vectors,
                                        r));
        requireSuccess(info, "dgeev", "Eigendecomposition", r, r);
        return new LapackSpectrum(re, im, vectors);
    }

    /**
     * Throws if a LAPACK routine reported an error.
     *
     * @throws IllegalStateException naming the operation, the matrix size and LAPACK's code
     */
    private static void requireSuccess(
            int info, String routine, String operation, int rows, int cols) {
        if (info != 0) {
            throw new IllegalStateException(
                    operation
                            + " of a "
                            + rows
                            + "x"
                            + cols
                            + " matrix failed (LAPACK "
                            + routine
                            + " info "
                            + info
                            + ")");
        }
    }

    /** Runs a native call on the big-stack thread and returns its result. */
    private static <T> T onNativeThread(Supplier<T> call) {
        Future<T> result = NATIVE.submit(call::get);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a native kernel", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
