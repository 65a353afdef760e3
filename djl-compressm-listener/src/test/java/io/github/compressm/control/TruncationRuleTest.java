package io.github.compressm.control;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.github.compressm.ssm.DiagonalRealization;
import java.util.Random;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.testng.annotations.Test;

public class TruncationRuleTest {

    private static final double[] HSV = {4, 3, 2, 1};

    @Test
    public void toleranceKeepsSmallestOrderWithEnoughEnergy() {
        assertEquals(TruncationRule.orderForTolerance(HSV, 0, 4), 4);
        assertEquals(TruncationRule.orderForTolerance(HSV, 0.1, 4), 3); // 0.9 of 10
        assertEquals(TruncationRule.orderForTolerance(HSV, 0.11, 4), 3);
        assertEquals(TruncationRule.orderForTolerance(HSV, 0.35, 4), 2); // 0.7 >= 0.65
        assertEquals(TruncationRule.orderForTolerance(HSV, 0.6, 4), 1);
        assertEquals(TruncationRule.orderForTolerance(HSV, 0, 3), 3); // numerical order
        assertEquals(TruncationRule.orderForTolerance(new double[] {0, 0}, 0.1, 2), 1);
    }

    @Test
    public void fractionRoundsUpAndClamps() {
        assertEquals(TruncationRule.orderForFraction(10, 0.25, 10), 3);
        assertEquals(TruncationRule.orderForFraction(10, 0.3, 10), 3);
        assertEquals(TruncationRule.orderForFraction(10, 1.0, 10), 10);
        assertEquals(TruncationRule.orderForFraction(10, 1.0, 7), 7);
        assertEquals(TruncationRule.orderForFraction(10, 0.01, 10), 1);
    }

    @Test
    public void badSettingsAreRejectedWithMessages() {
        for (double tau : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            assertRejected(
                    TruncationRule.builder().optTolerance(tau),
                    "tolerance must be in [0, 1), got " + tau);
        }
        for (double f : new double[] {0, -0.5, 1.01, Double.NaN}) {
            assertRejected(
                    TruncationRule.builder().optKeepFraction(f),
                    "keep fraction must be in (0, 1], got " + f);
        }
        assertRejected(TruncationRule.builder().optTolerance(0.1).optKeepFraction(0.5), "not both");
        assertRejected(TruncationRule.builder().optGate(0), "gate must be in (0, 1]");
        assertRejected(TruncationRule.builder().optGate(1.1), "gate must be in (0, 1]");
        assertRejected(
                TruncationRule.builder().optMinStateSize(0), "minimum state size must be positive");
        assertRejected(
                TruncationRule.builder().optSelectionMode(null), "selection mode must not be null");
    }

    @Test
    public void toleranceOnARealLayerMatchesItsEnergyAndStateCount() {
        Random rnd = new Random(31);
        DiagonalRealization d = Systems.randomLru(rnd, 64, 8, 8, 0.9, 0.999, 2 * Math.PI);
        SystemReducer reducer = new SystemReducer();
        HankelAnalysis analysis = reducer.analyse(d);
        double[] hsv = analysis.getHankelSingularValues();
        double total = analysis.getTotalEnergy();
        for (double tau : new double[] {0.0, 0.02, 0.05, 0.2, 0.5}) {
            TruncationRule rule = TruncationRule.builder().optTolerance(tau).optGate(1).build();
            TruncationRule.Decision decision = rule.decide(analysis, 64);
            int order = decision.getOrder();
            assertTrue(Systems.sum(hsv, 0, order) >= (1 - tau) * total * (1 - 1e-12), "tau " + tau);
            if (order > 1) {
                assertTrue(
                        Systems.sum(hsv, 0, order - 1) < (1 - tau) * total, "smallest, tau " + tau);
            }
            int states = eigenvalueGroups(analysis.getBalancing().truncate(order).getA());
            assertEquals(decision.getStates(), states, "tau " + tau);
            Reduction r = reducer.reduce(analysis, order, SelectionMode.LARGEST, null);
            assertEquals(r.getStateCount(), states);
            assertTrue(r.getEnergyKept() >= 1 - tau - 1e-12);
            assertEquals(r.getDiscardedSum(), Systems.sum(hsv, order, hsv.length), 1e-9 * total);
            assertEquals(decision.isReduce(), states < 64, "tau " + tau);
        }
    }

    @Test
    public void gateKeepsSmallCutsWithTheCandidateAndReason() {
        DiagonalRealization d = Systems.randomLru(new Random(33), 32, 4, 4, 0.9, 0.999, 6.28);
        SystemReducer reducer = new SystemReducer();
        HankelAnalysis analysis = reducer.analyse(d);
        TruncationRule tiny = TruncationRule.builder().optTolerance(0).build();
        TruncationRule.Decision kept = tiny.decide(analysis, 32);
        assertFalse(kept.isReduce());
        assertTrue(kept.getStates() >= 0.95 * 32, "the candidate's size: " + kept.getStates());
        assertTrue(kept.getReason().contains("is not below 0.95 x 32"), kept.getReason());

        TruncationRule half = TruncationRule.builder().optKeepFraction(0.25).build();
        TruncationRule.Decision reduced = half.decide(analysis, 32);
        assertTrue(reduced.isReduce(), reduced.getReason());
        assertEquals(reduced.getOrder(), 16);
        assertEquals(reduced.getReason(), "reduced by balanced truncation");
    }

    @Test
    public void minimumStateSizeRaisesTheOrderAndStopsAnalysis() {
        DiagonalRealization d = Systems.randomLru(new Random(34), 16, 2, 2, 0.9, 0.999, 6.28);
        SystemReducer reducer = new SystemReducer();
        HankelAnalysis analysis = reducer.analyse(d);
        TruncationRule rule =
                TruncationRule.builder().optKeepFraction(0.05).optMinStateSize(5).build();
        TruncationRule.Decision decision = rule.decide(analysis, 16);
        assertTrue(decision.isReduce(), decision.getReason());
        assertTrue(decision.getStates() >= 5, decision.getReason());
        Reduction r = reducer.reduce(analysis, decision.getOrder(), SelectionMode.LARGEST, null);
        assertEquals(r.getStateCount(), decision.getStates());
        assertTrue(decision.getReason().contains("minimum state size 5"), decision.getReason());
        assertTrue(rule.isAtMinimum(5));
        assertFalse(rule.isAtMinimum(6));
    }

    /**
     * Counts a real matrix's eigenvalues as a diagonal layer holds them: one state per real
     * eigenvalue or conjugate pair; computed with EJML's general eigenvalue solver, independently
     * of the reducer's spectrum code.
     */
    private static int eigenvalueGroups(DMatrixRMaj a) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(a.numRows, false);
        assertTrue(eig.decompose(a.copy()));
        int real = 0;
        int complex = 0;
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            Complex_F64 value = eig.getEigenvalue(i);
            if (Math.abs(value.imaginary) > 1e-9 * Math.max(1, value.getMagnitude())) {
                complex++;
            } else {
                real++;
            }
        }
        return real + complex / 2;
    }

    private static void assertRejected(TruncationRule.Builder builder, String fragment) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
