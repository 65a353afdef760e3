package io.github.compressm.control;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.github.compressm.ssm.DiagonalRealization;
import java.util.Arrays;
import java.util.Random;
import org.testng.annotations.Test;

public class RankSelectionTest {

    @Test
    public void badOrdersAndSelectionsAreRejected() {
        DiagonalRealization d = Systems.randomLru(new Random(1), 4, 2, 2, 0.3, 0.8, 6.28);
        SystemReducer reducer = new SystemReducer();
        for (int order : new int[] {0, -1, 9}) {
            IllegalArgumentException e =
                    expectThrows(
                            IllegalArgumentException.class,
                            () -> reducer.reduce(d, order, SelectionMode.LARGEST, null));
            assertTrue(e.getMessage().contains("Requested order " + order), e.getMessage());
            assertTrue(e.getMessage().contains("[1, 8]"), e.getMessage());
        }
        HankelAnalysis analysis = reducer.analyse(d);
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> reducer.reduce(analysis, 3, SelectionMode.RANDOM, null));
        assertTrue(e.getMessage().contains("Random"), e.getMessage());
        e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                new SystemReducer(GramianMode.COMPLEX_OUTPUT_REFERENCE)
                                        .reduce(analysis, 2, SelectionMode.LARGEST, null));
        assertTrue(e.getMessage().contains("REAL_OUTPUT"), e.getMessage());
    }

    @Test
    public void selectionModesPickTheRightBalancedStates() {
        assertEquals(RankSelection.select(3, 10, SelectionMode.LARGEST, null), new int[] {0, 1, 2});
        assertEquals(
                RankSelection.select(3, 10, SelectionMode.SMALLEST, null), new int[] {7, 8, 9});
        int[] a = RankSelection.select(4, 20, SelectionMode.RANDOM, new Random(5));
        int[] b = RankSelection.select(4, 20, SelectionMode.RANDOM, new Random(5));
        int[] c = RankSelection.select(4, 20, SelectionMode.RANDOM, new Random(6));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(Arrays.stream(a).distinct().count(), 4);
        for (int i : a) {
            assertTrue(i >= 0 && i < 20);
        }
    }

    @Test
    public void ablationModesKeepOtherBalancedStatesAndLoseMore() {
        Random rnd = new Random(32);
        SystemReducer reducer = new SystemReducer();
        for (int trial = 0; trial < 4; trial++) {
            DiagonalRealization d = Systems.randomLru(rnd, 24, 2, 2, 0.5, 0.99, 2 * Math.PI);
            HankelAnalysis analysis = reducer.analyse(d);
            int order = 8;
            Reduction largest = reducer.reduce(analysis, order, SelectionMode.LARGEST, null);
            Reduction smallest = reducer.reduce(analysis, order, SelectionMode.SMALLEST, null);
            Reduction random1 =
                    reducer.reduce(analysis, order, SelectionMode.RANDOM, new Random(9));
            Reduction random2 =
                    reducer.reduce(analysis, order, SelectionMode.RANDOM, new Random(9));
            int k = analysis.getNumericalOrder();
            assertEquals(smallest.getKeptStates()[order - 1], k - 1);
            assertTrue(smallest.getEnergyKept() < largest.getEnergyKept());
            assertEquals(random1.getKeptStates(), random2.getKeptStates());
            assertEquals(
                    random1.getRealization().getLambdaRe(), random2.getRealization().getLambdaRe());
            double[] angles = Systems.eigenAngles(d);
            double errLargest = Systems.hinfDistance(d, largest.getRealization(), 512, angles);
            double errSmallest = Systems.hinfDistance(d, smallest.getRealization(), 512, angles);
            double errRandom = Systems.hinfDistance(d, random1.getRealization(), 512, angles);
            assertTrue(errSmallest > errLargest, errSmallest + " <= " + errLargest);
            assertTrue(errRandom >= errLargest, errRandom + " < " + errLargest);
            // The bound 2 * sum of discarded sigma holds for any subset of balanced states.
            assertTrue(errSmallest <= 2 * smallest.getDiscardedSum() * (1 + 1e-6));
            assertTrue(errRandom <= 2 * random1.getDiscardedSum() * (1 + 1e-6));
        }
    }
}
