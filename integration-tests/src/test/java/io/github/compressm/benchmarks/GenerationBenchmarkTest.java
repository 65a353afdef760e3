package io.github.compressm.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** The generation benchmark's command on a tiny configuration (a smoke run, no timing claims). */
public class GenerationBenchmarkTest {

    @Test
    public void aTinyRunReportsEveryPathAndStateSize() throws Exception {
        Path json = Files.createTempFile("generation", ".json");
        try {
            int code =
                    new CommandLine(new GenerationBenchmark())
                            .execute(
                                    "--state-sizes", "8,2",
                                    "--hidden-size", "4",
                                    "--layers", "1",
                                    "--vocabulary", "6",
                                    "--prompt-length", "3",
                                    "--tokens", "4",
                                    "--warmups", "1",
                                    "--runs", "2",
                                    "--threads", "1",
                                    "--json", json.toString());
            Assert.assertEquals(code, 0);
            JsonObject result =
                    JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            JsonArray sizes = result.getAsJsonArray("results");
            Assert.assertEquals(sizes.size(), 4);
            String[] paths = {"djl", "djl", "jvm", "jvm"};
            int[] states = {8, 2, 8, 2};
            for (int i = 0; i < sizes.size(); i++) {
                JsonObject s = sizes.get(i).getAsJsonObject();
                Assert.assertEquals(s.get("path").getAsString(), paths[i]);
                Assert.assertEquals(s.get("stateSize").getAsInt(), states[i]);
                Assert.assertEquals(s.getAsJsonArray("msPerToken").size(), 2);
                Assert.assertTrue(s.get("msPerTokenMedian").getAsDouble() >= 0, s.toString());
                if (Files.isReadable(Path.of("/proc/self/status"))) {
                    Assert.assertTrue(
                            s.get("peakResidentMegabytes").getAsDouble() > 0, s.toString());
                }
            }
        } finally {
            Files.deleteIfExists(json);
        }
    }

    @Test
    public void badSettingsAreRefused() {
        Assert.assertNotEquals(
                new CommandLine(new GenerationBenchmark()).execute("--tokens", "1"), 0);
        Assert.assertNotEquals(
                new CommandLine(new GenerationBenchmark()).execute("--paths", "gpu"), 0);
    }
}
