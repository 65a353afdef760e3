package io.github.compressm.ssm;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

/** The complex views of a realisation agree with its arrays. */
public class DiagonalRealizationTest {

    private static final DiagonalRealization SYSTEM =
            new DiagonalRealization(
                    new double[] {0.5, -0.3},
                    new double[] {0.4, -0.2},
                    new double[][] {{1, 2, 3}, {4, 5, 6}},
                    new double[][] {{-1, -2, -3}, {-4, -5, -6}},
                    new double[][] {{7, 8}, {9, 10}},
                    new double[][] {{0.7, 0.8}, {0.9, 1.0}});

    @Test
    public void viewsMatchTheArrays() {
        double[] lr = SYSTEM.getLambdaRe();
        double[] li = SYSTEM.getLambdaIm();
        double[][] br = SYSTEM.getBRe();
        double[][] bi = SYSTEM.getBIm();
        double[][] cr = SYSTEM.getCRe();
        double[][] ci = SYSTEM.getCIm();
        for (int k = 0; k < SYSTEM.getStateSize(); k++) {
            assertEquals(SYSTEM.eigenvalue(k), new Complex(lr[k], li[k]));
            Complex[] row = SYSTEM.inputRow(k);
            assertEquals(row.length, SYSTEM.getInputSize());
            for (int j = 0; j < row.length; j++) {
                assertEquals(row[j], new Complex(br[k][j], bi[k][j]));
            }
            Complex[] column = SYSTEM.outputColumn(k);
            assertEquals(column.length, SYSTEM.getOutputSize());
            for (int o = 0; o < column.length; o++) {
                assertEquals(column[o], new Complex(cr[o][k], ci[o][k]));
            }
        }
        expectThrows(IndexOutOfBoundsException.class, () -> SYSTEM.eigenvalue(2));
        expectThrows(IndexOutOfBoundsException.class, () -> SYSTEM.inputRow(-1));
        expectThrows(IndexOutOfBoundsException.class, () -> SYSTEM.outputColumn(2));
    }

    @Test
    public void complexArithmetic() {
        Complex a = new Complex(3, -4);
        assertEquals(a.abs(), 5.0);
        assertEquals(a.times(new Complex(1, 2)), new Complex(11, 2));
        assertEquals(a.toString(), "3.0 - 4.0i");
        assertEquals(new Complex(0.5, 0).toString(), "0.5 + 0.0i");
    }
}
