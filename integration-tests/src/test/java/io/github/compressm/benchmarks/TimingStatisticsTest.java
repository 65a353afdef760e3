package io.github.compressm.benchmarks;

import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Minimum, median and paired speed-up of hand-picked times. */
public class TimingStatisticsTest {

    @Test
    public void minimumAndMedianOfOddAndEvenCounts() {
        Assert.assertEquals(TimingStatistics.min(List.of(3.0, 1.0, 2.0)), 1.0);
        Assert.assertEquals(TimingStatistics.median(List.of(3.0, 1.0, 2.0)), 2.0);
        Assert.assertEquals(TimingStatistics.median(List.of(4.0, 1.0, 3.0, 2.0)), 2.5);
        Assert.assertEquals(TimingStatistics.median(List.of(7.0)), 7.0);
    }

    @Test
    public void noTimesHaveNoStatistics() {
        Assert.assertTrue(Double.isNaN(TimingStatistics.min(List.of())));
        Assert.assertTrue(Double.isNaN(TimingStatistics.median(List.of())));
    }

    @Test
    public void thePairedSpeedUpIsTheMedianRatioOfTheSameRounds() {
        // Round 2 ran at half speed for both sides, and its ratio is still 3; the ratio of the
        // medians mixes rounds and comes out at 3 / 1.25.
        List<Double> reference = List.of(3.0, 6.0, 3.0, 3.0);
        List<Double> faster = List.of(1.0, 2.0, 1.0, 1.5);
        Assert.assertEquals(TimingStatistics.pairedSpeedUp(reference, faster), 3.0, 1e-12);
        Assert.assertEquals(
                TimingStatistics.median(reference) / TimingStatistics.median(faster), 2.4, 1e-12);
        // A round without a positive time on either side does not count.
        Assert.assertEquals(
                TimingStatistics.pairedSpeedUp(List.of(4.0, 5.0, 9.0), List.of(2.0, 0.0, 3.0)),
                2.5,
                1e-12);
        Assert.assertTrue(Double.isNaN(TimingStatistics.pairedSpeedUp(List.of(1.0), List.of(0.0))));
    }
}
