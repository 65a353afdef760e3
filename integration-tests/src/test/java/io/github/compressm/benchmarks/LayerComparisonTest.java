package io.github.compressm.benchmarks;

import io.github.compressm.examples.training.SsmFamily;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        Assert.assertEquals(defaults.layer(), ComparedLayer.LRU);
        Assert.assertEquals(defaults.peer(), Path.of("../shared/peers/lru_torch.py"));
    }

    @Test
    public void mamba2HasItsOwnPeerSizesAndChunk() {
        LayerComparison m = new LayerComparison();
        new CommandLine(m).parseArgs("--ssm", "mamba2");
        Assert.assertEquals(m.layer(), ComparedLayer.MAMBA2);
        Assert.assertEquals(m.sizes(), List.of(16, 64, 128));
        Assert.assertEquals(m.peer(), Path.of("../shared/peers/mamba2_torch.py"));
        Assert.assertEquals(m.layer().peerChunkLength(m.chunkLength), 56);
        Assert.assertEquals(m.layer().peerChunkLength(28), 28);
        Assert.assertEquals(ComparedLayer.LRU.peerChunkLength(64), 28);

        LayerComparison set = new LayerComparison();
        new CommandLine(set)
                .parseArgs(
                        "--ssm", "MAMBA2",
                        "--state-sizes", "32",
                        "--peer", "m.py",
                        "--chunk-length", "28");
        Assert.assertEquals(set.layer(), ComparedLayer.MAMBA2);
        Assert.assertEquals(set.sizes(), List.of(32));
        Assert.assertEquals(set.peer(), Path.of("m.py"));
        Assert.assertEquals(set.chunkLength, 28);
    }

    @Test
    public void thePeersInProjectionIsWiderByBAndC() {
        // 2d + 2N + heads with d = 128 and 8 heads: the peer's in_proj at N = 16.
        Assert.assertEquals(ComparedLayer.mamba2PeerInProjWidth(16, 64), 296);
        Assert.assertEquals(ComparedLayer.mamba2PeerInProjWidth(128, 64), 520);
    }

    @Test
    public void badSettingsAreRefusedBeforeThePeerStarts() {
        assertRefused("unknown peer scan: fft", "--peer-scans", "fft");
        assertRefused("--length divisible by 28", "--length", "30");
        assertRefused("peer script not found: missing.py", "--peer", "missing.py");
        assertRefused("state sizes must be positive", "--state-sizes", "0");
        assertRefused("--runs >= 1", "--runs", "0");
        assertRefused("unknown --ssm: s4", "--ssm", "s4");
        assertRefused("unknown peer scan: assoc", "--ssm", "mamba2", "--peer-scans", "assoc");
        assertRefused("--length divisible by 56", "--ssm", "mamba2", "--length", "84");
        assertRefused("--length divisible by 24", "--ssm", "mamba2", "--chunk-length", "24");
        assertRefused(
                "peer script not found: missing.py (pass --peer PATH/mamba2_torch.py)",
                "--ssm",
                "mamba2",
                "--peer",
                "missing.py");
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
            assertFixtureRunsEveryTimedCall(new LayerFixture(family, 4, 2, 12, 3, 0));
        }
    }

    @Test
    public void mamba2FixtureHasThePeersSizesAndRunsEveryTimedCall() {
        LayerFixture fixture = ComparedLayer.MAMBA2.fixture(4, 2, 12, 8, 4);
        Assert.assertEquals(
                ComparedLayer.MAMBA2.peerSizes(fixture, 4),
                Map.of("inner", 16L, "heads", 1L, "head_dim", 16L, "chunk", 4L));
        assertFixtureRunsEveryTimedCall(fixture);
    }

    private static void assertFixtureRunsEveryTimedCall(LayerFixture layer) {
        try (LayerFixture fixture = layer) {
            Assert.assertTrue(Float.isFinite(fixture.forward()));
            Assert.assertEquals(fixture.forwardBackward(), fixture.forward(), 1e-5f);
            Assert.assertTrue(Float.isFinite(fixture.projectionsForward()));
            Assert.assertEquals(
                    fixture.projectionsForwardBackward(), fixture.projectionsForward(), 1e-5f);
        }
    }
}
