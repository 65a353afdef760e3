package io.github.compressm.control;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.testng.annotations.Test;

public class EmpiricalBalancingTest {

    @Test
    public void hankelSingularValuesAreTheRootsOfTheEigenvaluesOfPq() {
        Random rnd = new Random(5);
        DMatrixRMaj p = randomMoment(rnd, 12, 40);
        DMatrixRMaj q = randomMoment(rnd, 12, 40);
        double[] hsv =
                EmpiricalBalancing.of(EjmlRows.of(p), EjmlRows.of(q)).getHankelSingularValues();
        double[] expected = sqrtEigenvalues(CommonOps_DDRM.mult(p, q, null));
        for (int i = 0; i < hsv.length; i++) {
            assertEquals(hsv[i], expected[i], 1e-9 * expected[0], "sigma " + i);
        }
    }

    @Test
    public void fullOrderTransformBalancesBothMomentsAndIsInvertible() {
        Random rnd = new Random(6);
        int n = 10;
        DMatrixRMaj p = randomMoment(rnd, n, 30);
        DMatrixRMaj q = randomMoment(rnd, n, 30);
        EmpiricalBalancing balancing = EmpiricalBalancing.of(EjmlRows.of(p), EjmlRows.of(q));
        double[] hsv = balancing.getHankelSingularValues();
        StateTransform t = balancing.truncate(n, SelectionMode.LARGEST, null);
        DMatrixRMaj w = matrix(t.getLeft());
        DMatrixRMaj v = matrix(t.getRight());
        // In balanced coordinates s~ = W s: E[s~ s~^T] = W P W^T; gradients g~ = V^T g.
        DMatrixRMaj balancedP = mult(mult(w, p), transpose(w));
        DMatrixRMaj balancedQ = mult(mult(transpose(v), q), v);
        DMatrixRMaj identity = mult(w, v);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sigma = i == j ? hsv[i] : 0;
                assertEquals(balancedP.get(i, j), sigma, 1e-8 * hsv[0], "P~ " + i + "," + j);
                assertEquals(balancedQ.get(i, j), sigma, 1e-8 * hsv[0], "Q~ " + i + "," + j);
                assertEquals(identity.get(i, j), i == j ? 1 : 0, 1e-8, "W V " + i + "," + j);
            }
        }
        assertEquals(t.getEnergyKept(), 1, 1e-12);
    }

    @Test
    public void statesInASubspaceHaveNoHankelEnergyBeyondItsDimension() {
        Random rnd = new Random(7);
        int n = 16;
        int r = 5;
        // States that only ever move inside an r-dimensional subspace: P has rank r.
        DMatrixRMaj basis = random(rnd, n, r);
        DMatrixRMaj coefficients = randomMoment(rnd, r, 3 * r);
        DMatrixRMaj p = mult(mult(basis, coefficients), transpose(basis));
        DMatrixRMaj q = randomMoment(rnd, n, 3 * n);
        EmpiricalBalancing balancing = EmpiricalBalancing.of(EjmlRows.of(p), EjmlRows.of(q));
        double[] hsv = balancing.getHankelSingularValues();
        assertEquals(balancing.getNumericalOrder(), r, Arrays.toString(hsv));
        for (int i = r; i < n; i++) {
            assertTrue(hsv[i] < 1e-6 * hsv[0], "sigma " + i + " = " + hsv[i]);
        }
        // Truncating to r keeps every state: V W s = s for s in the subspace.
        StateTransform t = balancing.truncate(r, SelectionMode.LARGEST, null);
        DMatrixRMaj projector = mult(matrix(t.getRight()), matrix(t.getLeft()));
        DMatrixRMaj s = mult(basis, random(rnd, r, 1));
        DMatrixRMaj back = mult(projector, s);
        for (int i = 0; i < n; i++) {
            assertEquals(back.get(i, 0), s.get(i, 0), 1e-8 * CommonOps_DDRM.elementMaxAbs(s));
        }
        assertEquals(balancing.statesForOrder(3), 3);
    }

    @Test
    public void truncationKeepsTheChosenStatesEnergy() {
        Random rnd = new Random(8);
        EmpiricalBalancing balancing =
                EmpiricalBalancing.of(
                        EjmlRows.of(randomMoment(rnd, 8, 20)),
                        EjmlRows.of(randomMoment(rnd, 8, 20)));
        double[] hsv = balancing.getHankelSingularValues();
        double total = Arrays.stream(hsv).sum();
        StateTransform largest = balancing.truncate(3, SelectionMode.LARGEST, null);
        assertEquals(largest.getStateCount(), 3);
        assertEquals(largest.getLeft()[0].length, 8);
        assertEquals(largest.getRight().length, 8);
        assertEquals(largest.getEnergyKept(), (hsv[0] + hsv[1] + hsv[2]) / total, 1e-12);
        StateTransform smallest = balancing.truncate(3, SelectionMode.SMALLEST, null);
        assertEquals(smallest.getEnergyKept(), (hsv[5] + hsv[6] + hsv[7]) / total, 1e-12);
    }

    @Test
    public void badMomentsAreRefusedWithTheirProblem() {
        double[][] ok = {{1, 0}, {0, 1}};
        IllegalArgumentException sizes =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> EmpiricalBalancing.of(ok, new double[][] {{1}}));
        assertTrue(sizes.getMessage().contains("N x N"), sizes.getMessage());
        IllegalArgumentException nan =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> EmpiricalBalancing.of(ok, new double[][] {{1, 0}, {0, Double.NaN}}));
        assertTrue(nan.getMessage().contains("non-finite"), nan.getMessage());
        IllegalArgumentException ragged =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> EmpiricalBalancing.of(new double[][] {{1, 0}, {0}}, ok));
        assertTrue(ragged.getMessage().contains("square"), ragged.getMessage());
        IllegalArgumentException order =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                EmpiricalBalancing.of(ok, ok)
                                        .truncate(3, SelectionMode.LARGEST, null));
        assertTrue(order.getMessage().contains("valid range"), order.getMessage());
    }

    /** {@code X X^T / samples} for a random {@code n x samples} X. */
    private static DMatrixRMaj randomMoment(Random rnd, int n, int samples) {
        DMatrixRMaj x = random(rnd, n, samples);
        DMatrixRMaj m = mult(x, transpose(x));
        CommonOps_DDRM.scale(1.0 / samples, m);
        return m;
    }

    private static DMatrixRMaj random(Random rnd, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = rnd.nextGaussian();
        }
        return m;
    }

    private static double[] sqrtEigenvalues(DMatrixRMaj m) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m.numRows, false);
        assertTrue(eig.decompose(m.copy()));
        double[] values = new double[m.numRows];
        for (int i = 0; i < values.length; i++) {
            Complex_F64 e = eig.getEigenvalue(i);
            values[i] = Math.sqrt(Math.max(0, e.real));
        }
        Arrays.sort(values);
        for (int i = 0; i < values.length / 2; i++) {
            double swap = values[i];
            values[i] = values[values.length - 1 - i];
            values[values.length - 1 - i] = swap;
        }
        return values;
    }

    private static DMatrixRMaj mult(DMatrixRMaj a, DMatrixRMaj b) {
        return CommonOps_DDRM.mult(a, b, null);
    }

    private static DMatrixRMaj transpose(DMatrixRMaj a) {
        return CommonOps_DDRM.transpose(a, null);
    }

    private static DMatrixRMaj matrix(double[][] rows) {
        return new DMatrixRMaj(rows);
    }
}
