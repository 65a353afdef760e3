package io.github.compressm.ssm;

import org.testng.Assert;
import org.testng.annotations.Test;

/** The reference recurrence itself, on systems small enough to work out by hand. */
public class ReferenceRecurrenceTest {

    /**
     * One state with {@code lambda = 0.5 + 0.5i}: its powers are 1, 0.5+0.5i, 0.5i, -0.25+0.25i.
     */
    private static DiagonalRealization rotatingState(double cRe, double cIm) {
        return new DiagonalRealization(
                new double[] {0.5},
                new double[] {0.5},
                new double[][] {{1}},
                new double[][] {{0}},
                new double[][] {{cRe}},
                new double[][] {{cIm}});
    }

    @Test
    public void impulseResponseIsTheRealPartOfThePowersOfLambda() {
        double[][][] impulse = {{{1}, {0}, {0}, {0}}};
        double[][][] y = ReferenceRecurrence.run(rotatingState(1, 0), null, impulse);
        Assert.assertEquals(ReferenceRecurrence.flatten(y), new double[] {1, 0.5, 0, -0.25}, 1e-15);
    }

    @Test
    public void imaginaryOutputWeightsReadMinusTheImaginaryPart() {
        // Re(i x) = -Im(x), with x_t = lambda^t.
        double[][][] impulse = {{{1}, {0}, {0}, {0}}};
        double[][][] y = ReferenceRecurrence.run(rotatingState(0, 1), null, impulse);
        Assert.assertEquals(
                ReferenceRecurrence.flatten(y), new double[] {0, -0.5, -0.5, -0.25}, 1e-15);
    }

    @Test
    public void feedthroughAddsDTimesTheInputAndEverySequenceStartsFromZero() {
        // Two sequences: the second must not see the state the first left behind.
        double[][][] u = {{{1}, {2}}, {{0}, {4}}};
        double[][][] y = ReferenceRecurrence.run(rotatingState(1, 0), new double[] {3}, u);
        // First: y0 = 1 + 3*1, y1 = Re(lambda * 1) + 2 + 3*2 = 0.5 + 8.
        // Second: y0 = 0, y1 = 4 + 3*4.
        Assert.assertEquals(ReferenceRecurrence.flatten(y), new double[] {4, 8.5, 0, 16}, 1e-15);
    }

    @Test
    public void inputsMixThroughBIntoEveryOutput() {
        // Two real states (0.5 and -0.25), two inputs, two outputs; two steps from x = 0.
        DiagonalRealization system =
                new DiagonalRealization(
                        new double[] {0.5, -0.25},
                        new double[] {0, 0},
                        new double[][] {{1, 2}, {-1, 1}},
                        new double[][] {{0, 0}, {0, 0}},
                        new double[][] {{1, 0}, {1, 3}},
                        new double[][] {{0, 0}, {0, 0}});
        double[][][] u = {{{1, 0}, {0, 0}}};
        double[][][] y = ReferenceRecurrence.run(system, null, u);
        // x_0 = B u = (1, -1), y_0 = C x_0 = (1, -2); x_1 = (0.5, 0.25), y_1 = (0.5, 1.25).
        Assert.assertEquals(ReferenceRecurrence.flatten(y), new double[] {1, -2, 0.5, 1.25}, 1e-15);
    }

    @Test
    public void sequencesAndFlattenAreInverse() {
        float[] flat = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        double[][][] u = ReferenceRecurrence.sequences(flat, 3, 2);
        Assert.assertEquals(u.length, 2);
        Assert.assertEquals(u[1][0], new double[] {7, 8});
        Assert.assertEquals(
                ReferenceRecurrence.flatten(u),
                new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Assert.expectThrows(
                IllegalArgumentException.class, () -> ReferenceRecurrence.sequences(flat, 5, 2));
    }
}
