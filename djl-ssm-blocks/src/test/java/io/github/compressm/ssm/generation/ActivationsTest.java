package io.github.compressm.ssm.generation;

import org.testng.Assert;
import org.testng.annotations.Test;

/** The tabulated activations against their direct double-precision formulas. */
public class ActivationsTest {

    @Test
    public void theTabulatedGeluIsTheExactGeluToFloatPrecision() {
        for (int i = -20_000; i <= 20_000; i++) {
            float x = i / 1000f;
            double expected = Activations.exactGelu(x);
            Assert.assertEquals(
                    Activations.gelu(x), expected, 2e-7 * Math.max(1, Math.abs(x)), "x=" + x);
        }
        for (float x : new float[] {-6f, Math.nextDown(6f), 6f, Math.nextDown(-6f)}) {
            Assert.assertEquals(
                    Activations.gelu(x), Activations.exactGelu(x), 2e-7 * Math.abs(x), "x=" + x);
        }
        Assert.assertTrue(Float.isNaN(Activations.gelu(Float.NaN)));
    }

    @Test
    public void theTabulatedSigmoidAndSiluAreTheFormulasToFloatPrecision() {
        for (int i = -40_000; i <= 40_000; i++) {
            float x = i / 1000f;
            double sigmoid = 1 / (1 + Math.exp(-x));
            Assert.assertEquals(Activations.sigmoid(x), sigmoid, 2e-7, "x=" + x);
            Assert.assertEquals(
                    Activations.silu(x), x * sigmoid, 2e-7 * Math.max(1, Math.abs(x)), "x=" + x);
        }
        // The negative tail keeps its relative precision outside the table.
        Assert.assertEquals(Activations.sigmoid(-30f), Math.exp(-30), 1e-6 * Math.exp(-30));
        Assert.assertEquals(Activations.sigmoid(Math.nextDown(16f)), 1, 2e-7);
    }
}
