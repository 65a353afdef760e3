package io.github.compressm.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.compressm.examples.report.RunReport;
import io.github.compressm.examples.training.ExampleTask;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.examples.training.SsmFamily;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

/**
 * The study's options and arm list, with a trainer that records each run's configuration instead of
 * training (final state sizes 40, 45, 50, 41 for every compressed run).
 */
public class CompressionStudyTest {

    private static final List<Integer> COMPRESSED_SIZES = List.of(40, 45, 50, 41);

    private final List<RunConfig> configs = new ArrayList<>();
    private Path out;

    @BeforeMethod
    public void createOutput() throws IOException {
        configs.clear();
        out = Files.createTempDirectory("study");
    }

    @AfterMethod(alwaysRun = true)
    public void deleteOutput() throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            for (Path p : files.sorted(Collections.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    @Test
    public void aSelectiveStudyRunsItsArmsAndTheReferenceFamilyForEverySeed() throws IOException {
        int code =
                execute(
                        "--task",
                        "CHAR_LM",
                        "--ssm",
                        "mamba2",
                        "--reference-ssm",
                        "lru",
                        "--state-size",
                        "128",
                        "--layers",
                        "4",
                        "--tau",
                        "0.1",
                        "--seeds",
                        "1,2,3");
        Assert.assertEquals(code, 0);
        Assert.assertEquals(configs.size(), 12);
        for (int seed = 0; seed < 3; seed++) {
            List<RunConfig> arms = configs.subList(4 * seed, 4 * seed + 4);
            assertArm(arms.get(0), SsmFamily.MAMBA2, 128, false, seed + 1);
            assertArm(arms.get(1), SsmFamily.MAMBA2, 128, true, seed + 1);
            Assert.assertEquals(arms.get(1).compressionSettings().getTolerance(), 0.1);
            assertArm(arms.get(2), SsmFamily.MAMBA2, 44, false, seed + 1);
            assertArm(arms.get(3), SsmFamily.LRU, 128, false, seed + 1);
        }
        JsonArray runs = readRuns();
        Assert.assertEquals(runs.size(), 12);
        String[] kinds = {"baseline", "compressed", "small-from-scratch", "reference"};
        String[] families = {"mamba2", "mamba2", "mamba2", "lru"};
        for (int i = 0; i < runs.size(); i++) {
            JsonObject run = runs.get(i).getAsJsonObject();
            Assert.assertEquals(run.get("kind").getAsString(), kinds[i % 4]);
            Assert.assertEquals(run.get("ssm").getAsString(), families[i % 4]);
            Assert.assertEquals(run.get("seed").getAsLong(), i / 4 + 1);
        }
        String table = Files.readString(out.resolve("study.md"), StandardCharsets.UTF_8);
        Assert.assertTrue(table.contains("| reference (lru) | 3 |"), table);
        Assert.assertTrue(
                table.contains("| mamba2 compressed/NONE/0.1 | lru reference/-/0.0 | 3 |"), table);
        Assert.assertTrue(
                table.contains("| mamba2 compressed/NONE/0.1 | mamba2 baseline/-/0.0 | 3 |"),
                table);
        Assert.assertTrue(
                table.contains("| mamba2 baseline/-/0.0 | lru reference/-/0.0 | 3 |"), table);
        Assert.assertEquals(
                configs.get(5).outputs().reportPath(),
                out.resolve("compressed-mamba2-seed2-tau0.1-none.json"));
        Assert.assertEquals(
                configs.get(7).outputs().reportPath(), out.resolve("reference-lru-seed2.json"));
    }

    @Test
    public void theReferenceArmHasItsOwnStateSize() throws IOException {
        int code =
                execute(
                        "--ssm",
                        "MAMBA2",
                        "--reference-ssm",
                        "s5",
                        "--reference-state-size",
                        "64",
                        "--skip-baseline",
                        "--seeds",
                        "7");
        Assert.assertEquals(code, 0);
        Assert.assertEquals(configs.size(), 3);
        assertArm(configs.get(0), SsmFamily.MAMBA2, 256, true, 7);
        assertArm(configs.get(1), SsmFamily.MAMBA2, 44, false, 7);
        assertArm(configs.get(2), SsmFamily.S5, 64, false, 7);
    }

    @Test
    public void theDefaultStudyIsAnLruStudyWhoseRunsNameNoFamily() throws IOException {
        Assert.assertEquals(execute("--seeds", "1"), 0);
        Assert.assertEquals(configs.size(), 3);
        assertArm(configs.get(0), SsmFamily.LRU, 256, false, 1);
        assertArm(configs.get(1), SsmFamily.LRU, 256, true, 1);
        assertArm(configs.get(2), SsmFamily.LRU, 44, false, 1);
        for (var run : readRuns()) {
            Assert.assertFalse(run.getAsJsonObject().has("ssm"), run.toString());
        }
        Assert.assertEquals(
                configs.get(0).outputs().reportPath(), out.resolve("baseline-seed1.json"));
        Assert.assertEquals(
                configs.get(1).outputs().reportPath(),
                out.resolve("compressed-seed1-tau0.04-none.json"));
        String table = Files.readString(out.resolve("study.md"), StandardCharsets.UTF_8);
        Assert.assertTrue(table.contains("| compressed/NONE/0.04 | baseline/-/0.0 | 1 |"), table);
    }

    @Test
    public void aReferenceSizeWithoutAReferenceFamilyIsRefused() {
        Assert.assertEquals(execute("--reference-state-size", "64"), 2);
        Assert.assertTrue(configs.isEmpty());
    }

    @Test
    public void anUnknownFamilyIsRefused() {
        Assert.assertEquals(execute("--ssm", "mamba3"), 2);
        Assert.assertTrue(configs.isEmpty());
    }

    private int execute(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--out");
        all.add(out.toString());
        return CompressionStudy.commandLine(new CompressionStudy(this::record))
                .execute(all.toArray(new String[0]));
    }

    private RunReport record(ExampleTask task, RunConfig config) {
        configs.add(config);
        int layers = config.model().layers();
        List<Integer> initial = Collections.nCopies(layers, config.model().stateSize());
        List<Integer> last = config.compression() ? COMPRESSED_SIZES : initial;
        return new RunReport(
                RunReport.SCHEMA_VERSION,
                task.name(),
                RunReport.ConfigSection.of(config),
                List.of(),
                initial,
                last,
                List.of(),
                List.of(),
                10,
                1.0,
                0.0,
                new RunReport.Metric("bits_per_char", 1.0 + configs.size() / 100.0),
                Map.of(),
                List.of(),
                List.of(),
                List.of(),
                Map.of());
    }

    private JsonArray readRuns() throws IOException {
        return JsonParser.parseString(
                        Files.readString(out.resolve("study.json"), StandardCharsets.UTF_8))
                .getAsJsonArray();
    }

    private static void assertArm(
            RunConfig config, SsmFamily family, int states, boolean compression, long seed) {
        Assert.assertEquals(config.model().ssm(), family);
        Assert.assertEquals(config.model().stateSize(), states);
        Assert.assertEquals(config.compression(), compression);
        Assert.assertEquals(config.training().seed(), seed);
    }
}
