package io.github.compressm.control;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.ejml.data.DMatrixRMaj;
import org.testng.annotations.Test;

public class MatrixChecksTest {

    @Test
    public void aSquareMatrixIsCopied() {
        double[][] m = {{1, 2}, {3, 4}};
        DMatrixRMaj copy = MatrixChecks.square("moment", m, "N x N", "fix");
        m[0][1] = 9;
        assertEquals(copy.numRows, 2);
        assertEquals(copy.numCols, 2);
        assertEquals(copy.get(0, 1), 2.0);
        assertEquals(copy.get(1, 0), 3.0);
    }

    @Test
    public void theMessageNamesTheMatrixItsShapeAndTheFix() {
        assertRejected(
                () -> MatrixChecks.square("state moment", new double[0][], "N x N", "fix"),
                "The state moment is empty: it must be N x N with at least one row");
        assertRejected(
                () -> MatrixChecks.square("state moment", null, "N x N", "fix"),
                "The state moment is empty");
        assertRejected(
                () ->
                        MatrixChecks.square(
                                "state moment", new double[][] {{1, 2}, {3}}, "N x N", "fix"),
                "The state moment must be square, N x N: row 1 has 1 entries for 2 rows");
        assertRejected(
                () ->
                        MatrixChecks.square(
                                "input moment",
                                new double[][] {{1, 0}, {Double.POSITIVE_INFINITY, 1}},
                                "N x N",
                                "clip gradients"),
                "The input moment has a non-finite entry at (1, 0), Infinity: clip gradients");
    }

    private static void assertRejected(Runnable call, String fragment) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
