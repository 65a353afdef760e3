package io.github.compressm.benchmarks;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.compressm.benchmarks.ComparisonRecords.Report;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The Markdown and JSON of hand-made results. */
public class ComparisonTablesTest {

    @Test
    public void aValidRunShowsItsRatios() {
        String md =
                ComparisonTables.markdown(
                        ComparisonFixtures.report(ComparisonFixtures.series(50, 10, 2.0, 1.0)));
        Assert.assertTrue(md.startsWith("Valid:"), md);
        Assert.assertTrue(
                md.contains(
                        "| 4 | forward+backward | 10.0 | 10.0 | chunk | 50.0 | 50.0 |"
                                + " 5.00x | 5.00x |"),
                md);
        // layer / projections of DJL: 10 / 1.
        Assert.assertTrue(md.contains("| 10.00 | 10.00 | 2.00 | 2.00 |"), md);
        Assert.assertFalse(md.contains("void"), md);
        Assert.assertFalse(md.contains("Not the same math"), md);
        Assert.assertTrue(md.contains("`Lru` (DJL 0.36.0"), md);
    }

    @Test
    public void aMamba2RunNamesItsBlockSizesAndWhatDiffers() {
        String md =
                ComparisonTables.markdown(
                        ComparisonFixtures.report(
                                ComparedLayer.MAMBA2, ComparisonFixtures.series(50, 10, 2.0, 1.0)));
        Assert.assertTrue(md.startsWith("Valid:"), md);
        Assert.assertTrue(md.contains("Not the same math: a yardstick of similar work."), md);
        Assert.assertTrue(md.contains("gated RMS norm"), md);
        Assert.assertTrue(md.contains("`Mamba2` (DJL 0.36.0"), md);
        Assert.assertTrue(
                md.contains(
                        "inner width d = 128, 8 head(s) of dimension 16, kernel 4, chunks of 56"),
                md);
        Assert.assertTrue(md.contains("| N | pass | Mamba2 min | Mamba2 median |"), md);
        Assert.assertTrue(md.contains("peer / Mamba2 (minima)"), md);
        Assert.assertTrue(md.contains("(B*L, d) x (d, H)"), md);
        Assert.assertFalse(md.contains("LRU"), md);
    }

    @Test
    public void anInvalidRunSaysSoAndVoidsTheCrossEngineRatios() {
        String md =
                ComparisonTables.markdown(
                        ComparisonFixtures.report(ComparisonFixtures.series(50, 10, 4.0, 1.0)));
        Assert.assertTrue(md.startsWith("**INVALID:"), md);
        Assert.assertTrue(md.contains("4.00x at N = 4"), md);
        Assert.assertTrue(md.contains("| chunk | 50.0 | 50.0 | void | void |"), md);
        Assert.assertFalse(md.contains("5.00x"), md);
    }

    @Test
    public void thePeerRuntimeNamesItsBlasAndEnvironment() {
        String none = ComparisonTables.peerRuntime(ComparisonFixtures.runtime(Map.of()));
        Assert.assertTrue(none.startsWith("Peer BLAS: OpenBLAS (/usr/lib/"), none);
        Assert.assertTrue(none.contains("2 BLAS thread(s)"), none);
        Assert.assertTrue(none.contains("no OPENBLAS_/OMP_/MKL_ thread variables set"), none);
        String set =
                ComparisonTables.peerRuntime(
                        ComparisonFixtures.runtime(Map.of("OPENBLAS_NUM_THREADS", "1")));
        Assert.assertTrue(set.endsWith("environment: OPENBLAS_NUM_THREADS=1."), set);
    }

    @Test
    public void theJsonRecordsItsVersionAndVerdict() throws Exception {
        Report bare = ComparisonFixtures.report(ComparisonFixtures.series(50, 10, 4.0, 1.0));
        Report report = bare.withMarkdown(ComparisonTables.markdown(bare));
        Path file = Files.createTempFile("compare", ".json");
        try {
            ComparisonRecords.write(report, file);
            JsonObject json =
                    JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            Assert.assertEquals(json.get("formatVersion").getAsInt(), 3);
            Assert.assertEquals(json.getAsJsonObject("protocol").get("ssm").getAsString(), "lru");
            Assert.assertEquals(
                    json.getAsJsonObject("protocol").getAsJsonArray("differences").size(), 0);
            Assert.assertFalse(json.get("valid").getAsBoolean());
            Assert.assertEquals(
                    json.getAsJsonObject("validity").getAsJsonArray("checks").size(), 2);
            Assert.assertEquals(
                    json.getAsJsonObject("peerRuntime").get("blas").getAsString(), "OpenBLAS");
            Assert.assertEquals(json.getAsJsonArray("ratios").size(), 4);
            Assert.assertEquals(json.getAsJsonArray("series").size(), 8);
            Assert.assertTrue(json.get("markdown").getAsString().startsWith("**INVALID"));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
