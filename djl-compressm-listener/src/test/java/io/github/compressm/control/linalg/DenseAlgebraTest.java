package io.github.compressm.control.linalg;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.github.compressm.ssm.Complex;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.testng.annotations.Test;

/** The package's entry point keeps its matrix library out of sight and computes what it says. */
public class DenseAlgebraTest {

    @Test
    public void noPublicTypeOfThePackageExposesEjml() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<Class<?>> types = packageClasses();
        assertTrue(types.contains(DenseAlgebra.class), "scanned " + types);
        assertTrue(types.contains(EjmlKernels.class), "package-private classes scanned too");
        for (Class<?> type : types) {
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m.getModifiers())) {
                    check(leaks, m.toGenericString(), m.getGenericReturnType());
                    for (Type p : m.getGenericParameterTypes()) {
                        check(leaks, m.toGenericString(), p);
                    }
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c.getModifiers())) {
                    for (Type p : c.getGenericParameterTypes()) {
                        check(leaks, c.toGenericString(), p);
                    }
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(leaks, f.toGenericString(), f.getGenericType());
                }
            }
        }
        assertEquals(leaks, List.of());
        // The kernels themselves are internal to the package.
        for (Class<?> internal :
                new Class<?>[] {
                    DenseKernels.class, Svd.class, PsdFactor.class, LyapunovSolver.class
                }) {
            assertTrue(!Modifier.isPublic(internal.getModifiers()), internal.getName());
        }
    }

    @Test
    public void productsMatchTheDefinition() {
        Random random = new Random(7);
        DenseMatrix x = random(5, 3, random);
        DenseMatrix y = random(3, 4, random);
        DenseMatrix z = random(5, 4, random);
        DenseMatrix w = random(4, 3, random);
        assertClose(DenseAlgebra.multiply(x, y), product(x, false, y, false));
        assertClose(DenseAlgebra.multiplyTransposeA(x, z), product(x, true, z, false));
        assertClose(DenseAlgebra.multiplyTransposeB(x, w), product(x, false, w, true));
        expectThrows(IllegalArgumentException.class, () -> DenseAlgebra.multiply(x, x));
    }

    @Test
    public void factorsInversesAndSpectraAreWhatTheySay() {
        // S = X X^T with X 6 x 2: L L^T = S with two columns.
        DenseMatrix x = random(6, 2, new Random(8));
        DenseMatrix s = product(x, false, x, true);
        DenseMatrix l = DenseAlgebra.psdFactor(s);
        assertEquals(l.rows(), 6);
        assertEquals(l.cols(), 2);
        assertClose(product(l, false, l, true), s);
        assertEquals(DenseAlgebra.psdFactor(new DenseMatrix(3, 3, new double[9])).cols(), 0);

        DenseMatrix a = new DenseMatrix(2, 2, new double[] {2, 1, 1, 1});
        assertClose(DenseAlgebra.invert(a), new DenseMatrix(2, 2, new double[] {1, -1, -1, 2}));
        assertNull(DenseAlgebra.invert(new DenseMatrix(2, 2, new double[] {1, 2, 2, 4})));

        // A rotation by 90 degrees scaled by 1/2: eigenvalues +-i/2.
        Spectrum spectrum =
                DenseAlgebra.spectrum(new DenseMatrix(2, 2, new double[] {0, -0.5, 0.5, 0}));
        assertEquals(spectrum.values().length, 2);
        for (Complex mu : spectrum.values()) {
            assertEquals(mu.re(), 0, 1e-15);
            assertEquals(Math.abs(mu.im()), 0.5, 1e-15);
        }

        // X = a X a + 1 for the scalar a = 1/2: X = 4/3.
        DenseMatrix lyapunov =
                DenseAlgebra.solveLyapunov(
                        new DenseMatrix(1, 1, new double[] {0.5}),
                        new DenseMatrix(1, 1, new double[] {1}));
        assertEquals(lyapunov.data()[0], 4.0 / 3, 1e-15);
    }

    @Test
    public void singularValuesOfADiagonalMatrixAreItsSortedMagnitudes() {
        DenseMatrix d = new DenseMatrix(3, 2, new double[] {1, 0, 0, -3, 0, 0});
        DenseSvd svd = DenseAlgebra.svd(d, true);
        assertEquals(svd.values()[0], 3, 1e-14);
        assertEquals(svd.values()[1], 1, 1e-14);
        assertEquals(svd.u().rows(), 3);
        assertEquals(svd.v().rows(), 2);
        double[] values = DenseAlgebra.singularValues(d);
        assertEquals(values[0], 3, 1e-14);
        assertEquals(values[1], 1, 1e-14);
    }

    @Test
    public void matricesShareTheirEntriesAndCheckTheirShape() {
        double[] data = {1, 2, 3, 4, 5, 6};
        DenseMatrix m = new DenseMatrix(2, 3, data);
        assertSame(m.ejml().data, data);
        assertSame(DenseMatrix.of(m.ejml()).data(), data);
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> new DenseMatrix(2, 2, data));
        assertTrue(e.getMessage().contains("2x2 matrix needs 4"), e.getMessage());
        assertTrue(e.getMessage().contains("got 6"), e.getMessage());
        expectThrows(IllegalArgumentException.class, () -> new DenseMatrix(-1, 0, new double[0]));
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> leaks, String member, Type type) {
        if (type.getTypeName().contains("org.ejml")) {
            leaks.add(member);
        }
    }

    private static List<Class<?>> packageClasses()
            throws IOException, URISyntaxException, ClassNotFoundException {
        Path root =
                Path.of(
                        DenseAlgebra.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        String pkg = DenseAlgebra.class.getPackageName();
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve(pkg.replace('.', '/')))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".class") && !name.equals("package-info.class")) {
                    out.add(Class.forName(pkg + "." + name.substring(0, name.length() - 6)));
                }
            }
        }
        return out;
    }

    private static DenseMatrix random(int rows, int cols, Random random) {
        double[] data = new double[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextDouble() * 2 - 1;
        }
        return new DenseMatrix(rows, cols, data);
    }

    /** The product of two matrices, each optionally transposed, by the definition. */
    private static DenseMatrix product(DenseMatrix x, boolean tx, DenseMatrix y, boolean ty) {
        int m = tx ? x.cols() : x.rows();
        int k = tx ? x.rows() : x.cols();
        int n = ty ? y.rows() : y.cols();
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int t = 0; t < k; t++) {
                    double a = tx ? x.data()[t * x.cols() + i] : x.data()[i * x.cols() + t];
                    double b = ty ? y.data()[j * y.cols() + t] : y.data()[t * y.cols() + j];
                    sum += a * b;
                }
                out[i * n + j] = sum;
            }
        }
        return new DenseMatrix(m, n, out);
    }

    private static void assertClose(DenseMatrix actual, DenseMatrix expected) {
        assertEquals(actual.rows(), expected.rows());
        assertEquals(actual.cols(), expected.cols());
        for (int i = 0; i < expected.data().length; i++) {
            assertEquals(actual.data()[i], expected.data()[i], 1e-12, "entry " + i);
        }
    }
}
