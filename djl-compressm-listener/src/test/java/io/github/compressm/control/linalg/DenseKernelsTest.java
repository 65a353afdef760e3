package io.github.compressm.control.linalg;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.github.compressm.ssm.Complex;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.bytedeco.openblas.global.openblas_full;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.MatrixFeatures_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.testng.annotations.Test;

/** The two kernel backends agree with each other and with the definitions they implement. */
public class DenseKernelsTest {

    private static final DenseKernels JAVA = new EjmlKernels();
    private static final DenseKernels NATIVE = OpenBlasKernels.load(0);

    @Test
    public void theActiveBackendFollowsTheProperty() {
        String property = System.getProperty(LinearAlgebraBackend.PROPERTY);
        LinearAlgebraBackend expected =
                "java".equals(property) ? LinearAlgebraBackend.EJML : LinearAlgebraBackend.OPENBLAS;
        // The native jar is on the test classpath: auto must find it.
        assertEquals(LinearAlgebraBackend.active(), expected);
    }

    @Test
    public void unknownBackendNamesAreRejectedWithTheChoices() {
        IllegalStateException e =
                expectThrows(IllegalStateException.class, () -> KernelSelection.select("fast"));
        assertTrue(e.getMessage().contains(LinearAlgebraBackend.PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains("auto"), e.getMessage());
        assertTrue(e.getMessage().contains("java"), e.getMessage());
        assertTrue(e.getMessage().contains("openblas"), e.getMessage());
        assertEquals(KernelSelection.select(" Java ").backend(), LinearAlgebraBackend.EJML);
    }

    @Test
    public void threadCountComesFromThePropertyThenTheEnvironment() {
        assertEquals(KernelSelection.threadCount(null, null), 1);
        assertEquals(KernelSelection.threadCount(null, " "), 1);
        assertEquals(KernelSelection.threadCount(null, "4"), 0, "OpenBLAS' own choice");
        assertEquals(KernelSelection.threadCount(" 3 ", "4"), 3);
        for (String bad : new String[] {"0", "-2", "two"}) {
            IllegalStateException e =
                    expectThrows(
                            IllegalStateException.class,
                            () -> KernelSelection.threadCount(bad, null));
            assertTrue(e.getMessage().contains(LinearAlgebraBackend.THREADS_PROPERTY), bad);
            assertTrue(e.getMessage().contains("positive whole number"), e.getMessage());
        }
    }

    @Test
    public void loadingSetsOpenBlasThreadCount() {
        OpenBlasKernels.load(1);
        assertEquals(openblas_full.openblas_get_num_threads(), 1);
    }

    @Test
    public void productsMatchEjml() {
        Random random = new Random(1);
        DMatrixRMaj x = RandomMatrices_DDRM.rectangle(37, 53, -1, 1, random);
        DMatrixRMaj y = RandomMatrices_DDRM.rectangle(53, 29, -1, 1, random);
        DMatrixRMaj z = RandomMatrices_DDRM.rectangle(37, 29, -1, 1, random);
        DMatrixRMaj w = RandomMatrices_DDRM.rectangle(29, 53, -1, 1, random);
        assertClose(NATIVE.mult(x, y), CommonOps_DDRM.mult(x, y, null), 1e-13);
        assertClose(NATIVE.multTransA(x, z), CommonOps_DDRM.multTransA(x, z, null), 1e-13);
        assertClose(NATIVE.multTransB(x, w), CommonOps_DDRM.multTransB(x, w, null), 1e-13);
        assertClose(JAVA.mult(x, y), CommonOps_DDRM.mult(x, y, null), 1e-13);
        assertEquals(
                NATIVE.mult(new DMatrixRMaj(3, 0), new DMatrixRMaj(0, 4)).getNumElements(), 12);
        expectThrows(IllegalArgumentException.class, () -> NATIVE.mult(x, x));
    }

    @Test
    public void inversesInvertAndSingularMatricesGiveNull() {
        // 500 rows: an LU this size overflows a default JVM thread stack inside OpenBLAS, which
        // the kernels avoid by calling it on their own big-stack thread.
        DMatrixRMaj a = RandomMatrices_DDRM.rectangle(500, 500, -1, 1, new Random(2));
        for (DenseKernels kernels : new DenseKernels[] {JAVA, NATIVE}) {
            DMatrixRMaj product = CommonOps_DDRM.mult(a, kernels.invert(a), null);
            assertTrue(MatrixFeatures_DDRM.isIdentity(product, 1e-9), kernels.backend().name());
            assertNull(kernels.invert(new DMatrixRMaj(3, 3)), kernels.backend().name());
        }
    }

    @Test
    public void pivotedCholeskyRevealsTheRankAndReconstructs() {
        // S = X X^T with X 80 x 30: rank 30 of 80.
        DMatrixRMaj x = RandomMatrices_DDRM.rectangle(80, 30, -1, 1, new Random(5));
        DMatrixRMaj s = CommonOps_DDRM.multTransB(x, x, null);
        double floor = 80 * Math.ulp(1.0) * CommonOps_DDRM.elementMax(s);
        for (DenseKernels kernels : new DenseKernels[] {JAVA, NATIVE}) {
            DMatrixRMaj l = kernels.pivotedCholesky(s, floor);
            assertEquals(l.numRows, 80);
            assertEquals(l.numCols, 30, kernels.backend().name());
            assertClose(CommonOps_DDRM.multTransB(l, l, null), s, 1e-12);
        }
    }

    @Test
    public void singularValueDecompositionsReconstructAndAgree() {
        Random random = new Random(3);
        for (int[] shape : new int[][] {{60, 40}, {40, 60}, {120, 120}}) {
            DMatrixRMaj m = RandomMatrices_DDRM.rectangle(shape[0], shape[1], -1, 1, random);
            Svd reference = JAVA.svd(m, true);
            for (DenseKernels kernels : new DenseKernels[] {JAVA, NATIVE}) {
                Svd svd = kernels.svd(m, true);
                int k = Math.min(shape[0], shape[1]);
                assertEquals(svd.values().length, k);
                double[] valuesOnly = kernels.singularValues(m);
                assertEquals(valuesOnly.length, k);
                for (int i = 0; i < k; i++) {
                    assertEquals(valuesOnly[i], reference.values()[i], 1e-12 * svd.values()[0]);
                }
                for (int i = 0; i < k; i++) {
                    assertEquals(svd.values()[i], reference.values()[i], 1e-12 * svd.values()[0]);
                    if (i > 0) {
                        assertTrue(svd.values()[i] <= svd.values()[i - 1], "descending");
                    }
                }
                // M V = U S, and V, U orthonormal.
                DMatrixRMaj us = svd.u().copy();
                CommonOps_DDRM.multCols(us, svd.values());
                assertClose(CommonOps_DDRM.mult(m, svd.v(), null), us, 1e-12);
                DMatrixRMaj vtv = CommonOps_DDRM.multTransA(svd.v(), svd.v(), null);
                assertTrue(MatrixFeatures_DDRM.isIdentity(vtv, 1e-12), kernels.backend().name());
                DMatrixRMaj utu = CommonOps_DDRM.multTransA(svd.u(), svd.u(), null);
                assertTrue(MatrixFeatures_DDRM.isIdentity(utu, 1e-12), kernels.backend().name());
            }
        }
    }

    @Test
    public void spectraAgreeAndEigenvectorsSatisfyTheirEquation() {
        DMatrixRMaj a = RandomMatrices_DDRM.rectangle(150, 150, -1, 1, new Random(4));
        double norm = NormOps_DDRM.normF(a);
        Complex[] reference = sorted(JAVA.spectrum(a).values());
        for (DenseKernels kernels : new DenseKernels[] {JAVA, NATIVE}) {
            Spectrum spectrum = kernels.spectrum(a);
            Complex[] values = sorted(spectrum.values());
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i].re(), reference[i].re(), 1e-10 * norm);
                assertEquals(values[i].im(), reference[i].im(), 1e-10 * norm);
            }
            for (int i = 0; i < values.length; i++) {
                Complex mu = spectrum.values()[i];
                double[][] v = spectrum.eigenvector(i);
                assertEquals(norm(v), 1, 1e-10, "unit norm");
                assertTrue(residual(a, mu, v) <= 1e-10 * norm, kernels.backend() + " vector " + i);
            }
        }
    }

    private static Complex[] sorted(Complex[] values) {
        Complex[] copy = values.clone();
        Arrays.sort(
                copy,
                Comparator.comparingDouble((Complex c) -> c.re()).thenComparingDouble(c -> c.im()));
        return copy;
    }

    private static double norm(double[][] v) {
        double sum = 0;
        for (int i = 0; i < v[0].length; i++) {
            sum += v[0][i] * v[0][i] + v[1][i] * v[1][i];
        }
        return Math.sqrt(sum);
    }

    /** Returns {@code ||A v - mu v||} for complex {@code mu} and {@code v = v[0] + i v[1]}. */
    private static double residual(DMatrixRMaj a, Complex mu, double[][] v) {
        int n = a.numRows;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double re = -(mu.re() * v[0][i] - mu.im() * v[1][i]);
            double im = -(mu.re() * v[1][i] + mu.im() * v[0][i]);
            for (int j = 0; j < n; j++) {
                re += a.get(i, j) * v[0][j];
                im += a.get(i, j) * v[1][j];
            }
            sum += re * re + im * im;
        }
        return Math.sqrt(sum);
    }

    private static void assertClose(DMatrixRMaj actual, DMatrixRMaj expected, double tolerance) {
        double scale = Math.max(1, NormOps_DDRM.normF(expected));
        DMatrixRMaj diff = CommonOps_DDRM.subtract(actual, expected, null);
        assertTrue(
                NormOps_DDRM.normF(diff) <= tolerance * scale,
                "difference " + NormOps_DDRM.normF(diff) + " relative to " + scale);
    }
}
