package io.github.compressm.control;

import static org.testng.Assert.assertEquals;

import org.testng.annotations.Test;

public class StateSpectrumTest {

    @Test
    public void theEnergyKeptIsTheKeptShareOfTheSum() {
        double[] hsv = {4, 3, 2, 1};
        assertEquals(StateSpectrum.energyKept(hsv, new int[] {0, 1}), 0.7, 1e-15);
        assertEquals(StateSpectrum.energyKept(hsv, new int[] {0, 2}), 0.6, 1e-15);
        assertEquals(StateSpectrum.energyKept(hsv, new int[] {3}), 0.1, 1e-15);
        assertEquals(StateSpectrum.energyKept(hsv, new int[] {3, 0, 1, 2}), 1.0, 1e-15);
        assertEquals(StateSpectrum.energyKept(hsv, new int[0]), 0.0);
    }

    @Test
    public void aZeroSpectrumKeepsAllItsEnergy() {
        assertEquals(StateSpectrum.energyKept(new double[] {0, 0}, new int[] {0}), 1.0);
    }

    @Test
    public void everyTruncationReportsTheEnergyOfItsKeptStates() {
        double[][] p = {{4, 1, 0}, {1, 3, 0.5}, {0, 0.5, 2}};
        double[][] q = {{1, 0, 0.2}, {0, 2, 0}, {0.2, 0, 1}};
        EmpiricalBalancing balancing = EmpiricalBalancing.of(p, q);
        double[] hsv = balancing.getHankelSingularValues();
        double total = hsv[0] + hsv[1] + hsv[2];
        assertEquals(
                balancing.truncate(2, SelectionMode.LARGEST, null).getEnergyKept(),
                (hsv[0] + hsv[1]) / total,
                1e-15);
        assertEquals(
                balancing.truncate(1, SelectionMode.SMALLEST, null).getEnergyKept(),
                hsv[2] / total,
                1e-15);
    }
}
