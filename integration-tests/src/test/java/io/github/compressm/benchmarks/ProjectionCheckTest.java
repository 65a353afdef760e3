package io.github.compressm.benchmarks;

import io.github.compressm.benchmarks.ComparisonRecords.Ratio;
import io.github.compressm.benchmarks.ComparisonRecords.Series;
import java.util.ArrayList;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The validity rule on hand-made projection times. */
public class ProjectionCheckTest {

    private static ProjectionCheck.Validity judge(List<Series> series) {
        return ProjectionCheck.judge(
                List.of(ComparisonFixtures.N), series, ProjectionCheck.MAX_PEER_RATIO);
    }

    @Test
    public void aPeerUpToThreeTimesSlowerAtMatrixProductsIsValid() {
        ProjectionCheck.Validity v = judge(ComparisonFixtures.series(50, 10, 3.0, 1.0));
        Assert.assertTrue(v.valid());
        Assert.assertEquals(v.checks().size(), 2);
        for (ProjectionCheck.Check c : v.checks()) {
            Assert.assertEquals(c.peerOverDjl(), 3.0, 1e-12);
            Assert.assertTrue(c.passed());
        }
        // A faster peer is no reason to doubt the run.
        Assert.assertTrue(judge(ComparisonFixtures.series(50, 10, 0.1, 1.0)).valid());
    }

    @Test
    public void aPeerMoreThanThreeTimesSlowerInOnePassMakesTheRunInvalid() {
        List<Series> series = new ArrayList<>(ComparisonFixtures.series(50, 10, 1.0, 1.0));
        series.replaceAll(
                s ->
                        s.side().equals(ComparisonRecords.PEER)
                                        && s.subject().equals(ComparisonRecords.PROJECTIONS)
                                        && s.pass().equals(ComparisonRecords.FORWARD)
                                ? ComparisonFixtures.constant(s.pass(), s.side(), s.subject(), 12.5)
                                : s);
        ProjectionCheck.Validity v = judge(series);
        Assert.assertFalse(v.valid());
        ProjectionCheck.Check worst = v.worst();
        Assert.assertFalse(worst.passed());
        Assert.assertEquals(worst.pass(), ComparisonRecords.FORWARD);
        Assert.assertEquals(worst.peerOverDjl(), 12.5, 1e-12);
        Assert.assertEquals(worst.peerMinMs(), 12.5);
        Assert.assertEquals(worst.djlMinMs(), 1.0);
    }

    @Test
    public void missingTimesAreNotValid() {
        Assert.assertFalse(judge(ComparisonFixtures.series(50, 10, Double.NaN, 1.0)).valid());
    }

    @Test
    public void anInvalidRunReportsOnlyRatiosWithinOneEngine() {
        List<Series> series = ComparisonFixtures.series(50, 10, 4.0, 1.0);
        List<Ratio> all =
                ComparisonRecords.ratios(
                        "LRU", List.of(ComparisonFixtures.N), List.of("chunk"), series);
        // Per pass: peer / LRU, peer / peer projections, LRU / projections, peer proj / proj.
        Assert.assertEquals(all.size(), 8);
        Ratio peerOverLru = all.get(0);
        Assert.assertEquals(peerOverLru.name(), "peer chunk / LRU");
        Assert.assertTrue(peerOverLru.acrossEngines());
        Assert.assertEquals(peerOverLru.ofMinima(), 5.0, 1e-12);
        List<Ratio> reported = ComparisonRecords.reportable(all, false);
        Assert.assertEquals(
                reported.stream().map(Ratio::name).distinct().toList(),
                List.of("peer chunk / peer projections", "LRU / projections"));
        Assert.assertEquals(reported.get(0).ofMinima(), 12.5, 1e-12);
        Assert.assertEquals(ComparisonRecords.reportable(all, true), all);
    }

    @Test
    public void theRatiosNameTheComparedLayer() {
        List<Ratio> all =
                ComparisonRecords.ratios(
                        "Mamba2",
                        List.of(ComparisonFixtures.N),
                        List.of("chunk"),
                        ComparisonFixtures.series(50, 10, 2.0, 1.0));
        Assert.assertEquals(
                all.stream().map(Ratio::name).distinct().toList(),
                List.of(
                        "peer chunk / Mamba2",
                        "peer chunk / peer projections",
                        "Mamba2 / projections",
                        "peer projections / projections"));
    }
}
