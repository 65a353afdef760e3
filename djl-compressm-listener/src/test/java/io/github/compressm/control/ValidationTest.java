package io.github.compressm.control;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.github.compressm.ssm.DiagonalRealization;
import org.ejml.data.DMatrixRMaj;
import org.testng.annotations.Test;

public class ValidationTest {

    private static DiagonalRealization withEigenvalue(double re, double im) {
        return new DiagonalRealization(
                new double[] {0.5, re},
                new double[] {0.1, im},
                new double[][] {{1}, {1}},
                new double[][] {{0}, {0.5}},
                new double[][] {{1, 1}},
                new double[][] {{0.2, 0}});
    }

    @Test
    public void unstableSystemsAreRejectedWithTheEigenvalue() {
        for (double[] lambda : new double[][] {{1.0, 0.0}, {0.8, -0.7}, {-1.5, 0}}) {
            DiagonalRealization d = withEigenvalue(lambda[0], lambda[1]);
            for (GramianMode mode : GramianMode.values()) {
                IllegalArgumentException e =
                        expectThrows(
                                IllegalArgumentException.class,
                                () -> new SystemReducer(mode).analyse(d));
                assertTrue(e.getMessage().contains("Eigenvalue 1 = "), e.getMessage());
                assertTrue(e.getMessage().contains("unstable"), e.getMessage());
                assertTrue(e.getMessage().contains("must be stable"), e.getMessage());
            }
        }
    }

    @Test
    public void nonFiniteEntriesNeverGetIn() {
        expectThrows(IllegalArgumentException.class, () -> withEigenvalue(Double.NaN, 0));
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                new RealSystem(
                                        new DMatrixRMaj(new double[][] {{0.5}}),
                                        new DMatrixRMaj(
                                                new double[][] {{Double.POSITIVE_INFINITY}}),
                                        new DMatrixRMaj(new double[][] {{1}})));
        assertTrue(e.getMessage().contains("B has a non-finite entry"), e.getMessage());
    }

    @Test
    public void badReducerSettingsAreRejected() {
        for (double max : new double[] {0, 1, 1.5, Double.NaN}) {
            IllegalArgumentException e =
                    expectThrows(
                            IllegalArgumentException.class,
                            () -> new SystemReducer(GramianMode.REAL_OUTPUT, max));
            assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
        }
        expectThrows(IllegalArgumentException.class, () -> new SystemReducer(null));
    }

    @Test
    public void eigenvaluesAboveTheLimitAreClamped() {
        // A real system whose eigenvalues sit at modulus 1 - 1e-8, above the 1 - 1e-6 limit.
        double mod = 1 - 1e-8;
        double angle = 0.3;
        DMatrixRMaj a =
                new DMatrixRMaj(
                        new double[][] {
                            {mod * Math.cos(angle), -mod * Math.sin(angle), 0},
                            {mod * Math.sin(angle), mod * Math.cos(angle), 0},
                            {0, 0, 0.5}
                        });
        DMatrixRMaj b = new DMatrixRMaj(new double[][] {{1}, {0.3}, {2}});
        DMatrixRMaj c = new DMatrixRMaj(new double[][] {{0.4, 1, -1}});
        DiagonalRealization d = DiagonalForm.of(new RealSystem(a, b, c));
        assertEquals(d.getStateSize(), 2);
        double max = 0;
        for (int s = 0; s < 2; s++) {
            max = Math.max(max, d.eigenvalue(s).abs());
        }
        assertEquals(max, DiagonalForm.DEFAULT_MAX_MODULUS, 1e-15);
        assertTrue(d.spectralRadius() < 1);

        DiagonalRealization loose = DiagonalForm.of(new RealSystem(a, b, c), 1.0);
        assertEquals(loose.spectralRadius(), mod, 1e-14);
    }
}
