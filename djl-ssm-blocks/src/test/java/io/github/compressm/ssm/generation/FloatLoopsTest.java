package io.github.compressm.ssm.generation;

import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The step kernels' loops against plain double-precision sums. */
public class FloatLoopsTest {

    @Test
    public void addProductAddsTheProductForEveryRowCount() {
        Random random = new Random(5);
        for (int rows = 1; rows <= 9; rows++) {
            int cols = 2 * rows + 1;
            float[] flat = values(random, cols * rows);
            // A Linear weight, outputs x inputs, split into one array per input.
            float[][] w = FloatLoops.columns(flat, rows, 0, cols);
            float[] u = values(random, rows + 3);
            float[] out = values(random, cols + 2);
            double[] expected = new double[out.length];
            for (int o = 0; o < out.length; o++) {
                expected[o] = out[o];
            }
            for (int o = 0; o < cols; o++) {
                for (int j = 0; j < rows; j++) {
                    expected[o] += (double) u[j + 3] * flat[o * rows + j];
                }
            }
            FloatLoops.addProduct(w, u, 3, out, cols);
            for (int o = 0; o < out.length; o++) {
                Assert.assertEquals(out[o], expected[o], 1e-5, rows + " rows, output " + o);
            }
        }
    }

    @Test
    public void columnsSplitsTheChosenRowsIntoColumns() {
        float[] matrix = {0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32};
        float[][] t = FloatLoops.columns(matrix, 3, 1, 3);
        Assert.assertEquals(t.length, 3);
        Assert.assertEquals(t[0], new float[] {10, 20});
        Assert.assertEquals(t[2], new float[] {12, 22});
    }

    private static float[] values(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
