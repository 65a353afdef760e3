package io.github.compressm.benchmarks;

import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Minimum and median of hand-picked times. */
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
}
