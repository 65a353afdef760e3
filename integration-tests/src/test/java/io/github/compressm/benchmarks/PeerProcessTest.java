package io.github.compressm.benchmarks;

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
