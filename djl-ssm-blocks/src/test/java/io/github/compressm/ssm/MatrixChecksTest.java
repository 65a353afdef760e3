package io.github.compressm.ssm;

import static io.github.compressm.ssm.MatrixChecks.ANY;
import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

public class MatrixChecksTest {

    @Test
    public void aMatrixOfTheShapeGivesItsColumns() {
        double[][] m = {{1, 2, 3}, {4, 5, 6}};
        assertEquals(MatrixChecks.requireMatrix("m", m, 2, 3, "r x n", "fix"), 3);
        assertEquals(MatrixChecks.requireMatrix("m", m, ANY, ANY, "r x n", "fix"), 3);
        assertEquals(MatrixChecks.requireShape("m", m, 2, ANY, "r x n"), 3);
    }

    @Test
    public void theMessageNamesTheMatrixItsShapeAndTheFix() {
        double[][] m = {{1, 2, 3}, {4, 5, 6}};
        assertRejected(
                () -> MatrixChecks.requireShape("left", m, 3, 3, "r x stateSize"),
                "left must have 3 rows, got 2; left must be r x stateSize = 3 x 3");
        assertRejected(
                () -> MatrixChecks.requireShape("left", m, 2, 4, "r x stateSize"),
                "left row 0 must have 4 entries, got 3; left must be r x stateSize = 2 x 4");
        assertRejected(
                () ->
                        MatrixChecks.requireShape(
                                "map", new double[][] {{1, 2}, {3}}, ANY, ANY, "a x b"),
                "map row 1 must have 2 entries, got 1; map must be a x b");
        assertRejected(
                () -> MatrixChecks.requireShape("map", new double[0][], ANY, 2, "a x b"),
                "map must have at least one row, got none");
        assertRejected(
                () -> MatrixChecks.requireShape("map", null, ANY, 2, "a x b"),
                "map must have at least one row, got none");
        assertRejected(
                () -> MatrixChecks.requireShape("map", new double[1][0], ANY, ANY, "a x b"),
                "map must have at least one column, got none");
        double[][] nan = {{1, 2, 3}, {4, Double.NaN, 6}};
        assertRejected(
                () -> MatrixChecks.requireMatrix("right", nan, 2, 3, "n x r", "use finite maps"),
                "right[1][1] is not finite: NaN; use finite maps");
        MatrixChecks.requireShape("right", nan, 2, 3, "n x r");
    }

    private static void assertRejected(Runnable call, String fragment) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
