package io.github.compressm.benchmarks;

import io.github.compressm.examples.training.SsmFamily;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** The comparison's statistics, its command line and the shared layer fixture (no timing). */
public class LayerComparisonTest {

    @Test
    public void minimumAndMedianOfOddAndEvenCounts() {
        Assert.assertEquals(LayerComparison.min(List.of(3.0, 1.0, 2.0)), 1.0);
        Assert.assertEquals(LayerComparison.median(List.of(3.0, 1.0, 2.0)), 2.0);
        Assert.assertEquals(LayerComparison.median(List.of(4.0, 1.0, 3.0, 2.0)), 2.5);
        Assert.assertTrue(Double.isNaN(LayerComparison.median(List.of())));
    }

    @Test
    public void defaultsAreTheProtocolAndTheOldPositionalSizesStillParse() {
        LayerComparison defaults = new LayerComparison();
        new CommandLine(defaults).parseArgs();
        Assert.assertEquals(defaults.warmups, LayerComparison.MIN_WARMUPS);
        Assert.assertEquals(defaults.runs, LayerComparison.MIN_RUNS);
        Assert.assertEquals(defaults.stateSizes, List.of(16, 32, 64, 256));
        Assert.assertEquals(defaults.peerScans, List.of("chunk"));

        LayerComparison old = new LayerComparison();
        new CommandLine(old).parseArgs("--warmups", "5", "32,256");
        Assert.assertEquals(old.positionalSizes, List.of(32, 256));
        Assert.assertEquals(old.warmups, 5);
    }

    @Test
    public void fixtureRunsEveryTimedCall() {
        for (SsmFamily family : SsmFamily.values()) {
            assertFixtureRunsEveryTimedCall(new LruLayerFixture(family, 4, 2, 12, 3, 0));
        }
    }

    private static void assertFixtureRunsEveryTimedCall(LruLayerFixture layer) {
        try (LruLayerFixture fixture = layer) {
            Assert.assertTrue(Float.isFinite(fixture.forward()));
            Assert.assertEquals(fixture.forwardBackward(), fixture.forward(), 1e-5f);
            Assert.assertTrue(Float.isFinite(fixture.projectionsForward()));
            Assert.assertEquals(
                    fixture.projectionsForwardBackward(), fixture.projectionsForward(), 1e-5f);
        }
    }
}
