package io.github.compressm.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** The generation benchmark's command on a tiny configuration (a smoke run, no timing claims). */
public class GenerationBenchmarkTest {

    @Test
    public void aTinyRunReportsEveryPathStateAndBatchSizeAndTheEngineFreeMemory() throws Exception {
        Path json = Files.createTempFile("generation", ".json");
        try {
            int code =
                    new CommandLine(new GenerationBenchmark())
                            .execute(
                                    "--state-sizes", "8,2",
                                    "--batch-sizes", "1,3",
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
            Assert.assertEquals(result.getAsJsonArray("batchSizes").size(), 2);
            JsonArray sizes = result.getAsJsonArray("results");
            String[] paths = {"criteria", "criteria", "jvm", "jvm", "djl", "djl", "djl", "djl"};
            int[] states = {8, 2, 8, 2, 8, 8, 2, 2};
            int[] batches = {1, 1, 1, 1, 1, 3, 1, 3};
            Assert.assertEquals(sizes.size(), paths.length);
            boolean proc = Files.isReadable(Path.of("/proc/self/status"));
            for (int i = 0; i < sizes.size(); i++) {
                JsonObject s = sizes.get(i).getAsJsonObject();
                Assert.assertEquals(s.get("path").getAsString(), paths[i]);
                Assert.assertEquals(s.get("stateSize").getAsInt(), states[i]);
                Assert.assertEquals(s.get("batchSize").getAsInt(), batches[i]);
                Assert.assertEquals(s.getAsJsonArray("msPerToken").size(), 2);
                Assert.assertTrue(s.get("msPerTokenMedian").getAsDouble() >= 0, s.toString());
                if (proc) {
                    Assert.assertTrue(
                            s.get("peakResidentMegabytes").getAsDouble() > 0, s.toString());
                }
            }
            // Paired speed-ups over the first size of the same path and batch, round by round.
            int[] references = {0, 0, 2, 2, 4, 5, 4, 5};
            for (int i = 0; i < sizes.size(); i++) {
                JsonObject s = sizes.get(i).getAsJsonObject();
                List<Double> reference =
                        times(
                                sizes.get(references[i])
                                        .getAsJsonObject()
                                        .getAsJsonArray("msPerToken"));
                double expected =
                        TimingStatistics.pairedSpeedUp(
                                reference, times(s.getAsJsonArray("msPerToken")));
                if (Double.isNaN(expected)) {
                    Assert.assertFalse(s.has("speedUpPairedMedian"), s.toString());
                } else {
                    Assert.assertEquals(
                            s.get("speedUpPairedMedian").getAsDouble(),
                            expected,
                            1e-12,
                            s.toString());
                }
            }
            JsonArray engineFree = result.getAsJsonArray("engineFreeMemory");
            Assert.assertEquals(engineFree.size(), 2);
            for (int i = 0; i < engineFree.size(); i++) {
                JsonObject m = engineFree.get(i).getAsJsonObject();
                Assert.assertEquals(m.get("stateSize").getAsInt(), states[i]);
                if (proc) {
                    Assert.assertTrue(
                            m.get("peakResidentMegabytes").getAsDouble() > 0, m.toString());
                }
            }
        } finally {
            Files.deleteIfExists(json);
        }
    }

    @Test
    public void theOptionsParseWithTheirDefaults() {
        GenerationBenchmark defaults = new GenerationBenchmark();
        new CommandLine(defaults).parseArgs();
        Assert.assertEquals(defaults.paths, List.of("criteria", "jvm", "djl"));
        Assert.assertEquals(defaults.batchSizes, List.of(1, 4, 16));
        Assert.assertTrue(defaults.engineFreeMemory);
        GenerationBenchmark set = new GenerationBenchmark();
        new CommandLine(set)
                .parseArgs(
                        "--paths",
                        "djl",
                        "--batch-sizes",
                        "2,8",
                        "--no-engine-free-memory",
                        "--engine-free-java-options",
                        "-Xmx32m,-XX:+UseSerialGC");
        Assert.assertEquals(set.paths, List.of("djl"));
        Assert.assertEquals(set.batchSizes, List.of(2, 8));
        Assert.assertFalse(set.engineFreeMemory);
        Assert.assertEquals(set.engineFreeJavaOptions, List.of("-Xmx32m", "-XX:+UseSerialGC"));
    }

    @Test
    public void theEngineFreeClassPathLoadsTheLoaderButNoEngine() throws Exception {
        List<String> entries = EngineFreeGeneration.classPath();
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = Path.of(entries.get(i)).toUri().toURL();
        }
        try (URLClassLoader child =
                new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Assert.assertNotNull(
                    child.loadClass("io.github.compressm.ssm.serving.StepModelLoader"));
            Assert.assertNotNull(child.loadClass(EngineFreeGeneration.class.getName()));
            Assert.expectThrows(
                    ClassNotFoundException.class,
                    () -> child.loadClass("ai.djl.pytorch.engine.PtEngine"));
            Assert.expectThrows(
                    ClassNotFoundException.class,
                    () -> child.loadClass("ai.djl.pytorch.jni.JniUtils"));
        }
    }

    @Test
    public void badSettingsAreRefused() {
        Assert.assertNotEquals(
                new CommandLine(new GenerationBenchmark()).execute("--tokens", "1"), 0);
        Assert.assertNotEquals(
                new CommandLine(new GenerationBenchmark()).execute("--paths", "gpu"), 0);
        Assert.assertNotEquals(
                new CommandLine(new GenerationBenchmark()).execute("--batch-sizes", "0"), 0);
    }

    private static List<Double> times(JsonArray array) {
        List<Double> times = new ArrayList<>();
        array.forEach(t -> times.add(t.getAsDouble()));
        return times;
    }
}
