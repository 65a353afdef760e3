package io.github.compressm.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Parsing the peer driver's answers (no Python needed). */
public class PeerProcessTest {

    @Test
    public void readyLineFieldsAreParsedInOrder() {
        Map<String, String> fields =
                PeerProcess.fields(" torch=1.13.1 threads=2 stray interop=1 =x");
        Assert.assertEquals(List.copyOf(fields.keySet()), List.of("torch", "threads", "interop"));
        Assert.assertEquals(fields.get("torch"), "1.13.1");
        Assert.assertEquals(fields.get("interop"), "1");
    }

    @Test
    public void theDriverIsToldItsPeerAndModel() {
        Assert.assertEquals(
                PeerProcess.command(
                        "/usr/bin/python3",
                        Path.of("/tmp/peer_driver.py"),
                        Path.of("../shared/peers/mamba2_torch.py"),
                        2,
                        List.of("chunk"),
                        "mamba2"),
                List.of(
                        "/usr/bin/python3",
                        "/tmp/peer_driver.py",
                        "../shared/peers/mamba2_torch.py",
                        "2",
                        "chunk",
                        "mamba2"));
    }

    @Test
    public void thePeersBlockMustHaveOurSizes() {
        Map<String, Long> ours = Map.of("inner", 128L, "heads", 8L, "head_dim", 16L, "chunk", 56L);
        ComparedLayer.requireSameSizes(
                PeerProcess.fields(" inner=128 heads=8 head_dim=16 in_proj=296 chunk=56"), ours);
        // The LRU's peer answers a bare "ok": nothing to compare.
        ComparedLayer.requireSameSizes(PeerProcess.fields(""), ours);
        IllegalStateException e =
                Assert.expectThrows(
                        IllegalStateException.class,
                        () ->
                                ComparedLayer.requireSameSizes(
                                        PeerProcess.fields(" inner=128 heads=4 head_dim=16"),
                                        ours));
        Assert.assertTrue(e.getMessage().contains("heads = 4, ours 8"), e.getMessage());
    }

    @Test
    public void theDriverIsAResource() {
        Assert.assertNotNull(PeerProcess.class.getResource("peer_driver.py"));
    }

    @Test
    public void theBlasGetsTheTorchThreadsUnlessTheEnvironmentSaysOtherwise() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin"));
        PeerProcess.pinBlasThreads(env, 2);
        Assert.assertEquals(env.get("OPENBLAS_NUM_THREADS"), "2");

        Map<String, String> set = new HashMap<>(Map.of("OPENBLAS_NUM_THREADS", "4"));
        PeerProcess.pinBlasThreads(set, 2);
        Assert.assertEquals(set.get("OPENBLAS_NUM_THREADS"), "4");

        Map<String, String> defaults = new HashMap<>();
        PeerProcess.pinBlasThreads(defaults, 0);
        Assert.assertTrue(defaults.isEmpty());
    }
}
