package io.github.compressm.benchmarks;

import io.github.compressm.examples.training.SsmFamily;
import java.nio.file.Path;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** The comparison's command line and the shared layer fixture (no timing). */
public class LayerComparisonTest {

    @Test
    public void theCommandLineSetsEveryOption() {
        LayerComparison c = new LayerComparison();
        new CommandLine(c)
                .parseArgs(
                        "--state-sizes", "8,24",
                        "--warmups", "5",
                        "--runs", "4",
                        "--runs-per-round", "2",
                        "--threads", "1",
                        "--batch", "2",
                        "--length", "56",
                        "--features", "3",
                        "--peer-scans", "chunk,assoc",
                        "--peer", "p.py",
                        "--json", "out.json");
        Assert.assertEquals(c.sizes(), List.of(8, 24));
        Assert.assertEquals(c.timing.warmups(), 5);
        Assert.assertEquals(c.timing.runs(), 4);
        Assert.assertEquals(c.timing.threads(), 1);
        Assert.assertEquals(c.timing.json(), Path.of("out.json"));
        Assert.assertEquals(c.shape.runsPerRound, 2);
        Assert.assertEquals(
                List.of(c.shape.batch, c.shape.length, c.shape.features), List.of(2, 56, 3));
        Assert.assertEquals(c.peerScans, List.of("chunk", "assoc"));
        Assert.assertEquals(c.peerScript, Path.of("p.py"));
    }

    @Test
    public void positionalSizesStillParseAndWinOverTheDefault() {
        LayerComparison old = new LayerComparison();
        new CommandLine(old).parseArgs("--warmups", "5", "32,256");
        Assert.assertEquals(old.sizes(), List.of(32, 256));
        Assert.assertEquals(old.timing.warmups(), 5);

        LayerComparison defaults = new LayerComparison();
        new CommandLine(defaults).parseArgs();
        Assert.assertEquals(defaults.sizes(), List.of(16, 32, 64, 256));
        Assert.assertEquals(defaults.peerScans, List.of("chunk"));
    }

    @Test
    public void badSettingsAreRefusedBeforeThePeerStarts() {
        assertRefused("unknown peer scan: fft", "--peer-scans", "fft");
        assertRefused("--length divisible by 28", "--length", "30");
        assertRefused("peer script not found: missing.py", "--peer", "missing.py");
        assertRefused("state sizes must be positive", "--state-sizes", "0");
        assertRefused("--runs >= 1", "--runs", "0");
    }

    private static void assertRefused(String message, String... args) {
        LayerComparison c = new LayerComparison();
        new CommandLine(c).parseArgs(args);
        IllegalArgumentException e = Assert.expectThrows(IllegalArgumentException.class, c::call);
        Assert.assertTrue(e.getMessage().contains(message), e.getMessage());
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
