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
    public void aTinyRunReportsEveryStateSize() throws Exception {
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
            Assert.assertEquals(sizes.size(), 2);
            Assert.assertEquals(sizes.get(0).getAsJsonObject().get("stateSize").getAsInt(), 8);
            for (var size : sizes) {
                JsonObject s = size.getAsJsonObject();
                Assert.assertEquals(s.getAsJsonArray("msPerToken").size(), 2);
                Assert.assertTrue(s.get("msPerTokenMedian").getAsDouble() >= 0, s.toString());
            }
        } finally {
            Files.deleteIfExists(json);
        }
    }

    @Test
    public void badSettingsAreRefused() {
        int code = new CommandLine(new GenerationBenchmark()).execute("--tokens", "1");
        Assert.assertNotEquals(code, 0);
    }
}
