package io.github.compressm.benchmarks;

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
}
