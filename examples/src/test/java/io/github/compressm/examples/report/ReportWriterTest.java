package io.github.compressm.examples.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.compressm.control.GramianWeighting;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import io.github.compressm.listener.CompressionSettings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.testng.SkipException;
import org.testng.annotations.Test;

public class ReportWriterTest {

    /** A report of format 1 as the sysid subcommand wrote it, with data-weighted checks. */
    private static final String FORMAT_ONE = "format1-sysid-data.json";

    @Test
    public void readsAReportOfFormatOne() throws IOException, URISyntaxException {
        Path file = resource(FORMAT_ONE);
        assertReadAsWritten(file);
        RunReport r = ReportWriter.read(file);
        assertEquals(r.task(), "sysid");
        assertEquals(r.layerPaths().size(), 1);
        assertEquals(r.checks().size(), 4);
        CompressionSettings settings = r.config().compressionSettings();
        assertEquals(settings.getGramianWeighting(), GramianWeighting.DATA);
        assertEquals(settings.getTolerance(), 0.05);
        assertEquals(settings.getWarmupFraction(), 0.25);
        assertEquals(settings.getChecks(), 4, "options format 1 did not record keep defaults");
        assertNull(r.config().model().ssm(), "format 1 did not record the SSM family");
    }

    @Test
    public void readsEveryCommittedRunReport() throws IOException {
        Path results = Path.of("").toAbsolutePath().resolveSibling("benchmark-results");
        if (!Files.isDirectory(results)) {
            throw new SkipException("no benchmark-results beside the module: " + results);
        }
        List<Path> reports;
        try (Stream<Path> files = Files.walk(results)) {
            reports =
                    files.filter(f -> f.toString().endsWith(".json"))
                            .filter(ReportWriterTest::isRunReport)
                            .collect(Collectors.toList());
        }
        assertFalse(reports.isEmpty(), "run reports under " + results);
        for (Path report : reports) {
            if (parse(report).get("schemaVersion").getAsInt() == 1) {
                assertReadAsWritten(report);
            } else {
                assertReadsBackAsWritten(report);
            }
        }
    }

    /** A report of the current format reads into the same JSON it was written as. */
    private static void assertReadsBackAsWritten(Path file) throws IOException {
        RunReport report = ReportWriter.read(file);
        assertEquals(report.schemaVersion(), RunReport.SCHEMA_VERSION, file.toString());
        assertEquals(
                JsonParser.parseString(ReportWriter.toJson(report)), parse(file), file.toString());
    }

    @Test
    public void aConvertedReportIsWrittenInTheCurrentFormat()
            throws IOException, URISyntaxException {
        RunReport converted = ReportWriter.read(resource(FORMAT_ONE));
        Path file = Files.createTempFile("report", ".json");
        try {
            ReportWriter.write(converted, file);
            JsonObject json = parse(file);
            assertEquals(json.get("schemaVersion").getAsInt(), RunReport.SCHEMA_VERSION);
            JsonObject settings =
                    json.getAsJsonObject("config").getAsJsonObject("compressionSettings");
            assertEquals(settings.get("gramianWeighting").getAsString(), "DATA");
            JsonObject check = json.getAsJsonArray("checks").get(0).getAsJsonObject();
            assertEquals(check.get("layer").getAsString(), converted.layerPaths().get(0));
            assertEquals(check.get("stateSizeBefore").getAsInt(), 64);
            RunReport again = ReportWriter.read(file);
            assertEquals(ReportWriter.toJson(again), ReportWriter.toJson(converted));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void rejectsANewerFormatAndOtherFiles() throws IOException {
        Path file = Files.createTempFile("report", ".json");
        try {
            Files.writeString(file, "{\"schemaVersion\": 99}", StandardCharsets.UTF_8);
            IllegalArgumentException newer =
                    expectThrows(IllegalArgumentException.class, () -> ReportWriter.read(file));
            assertTrue(newer.getMessage().contains("newer"), newer.getMessage());
            Files.writeString(file, "[1, 2]", StandardCharsets.UTF_8);
            IllegalArgumentException other =
                    expectThrows(IllegalArgumentException.class, () -> ReportWriter.read(file));
            assertTrue(other.getMessage().contains("not a run report"), other.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Compares a report as read with the JSON of the file, field by field. */
    /** A report of format 1 reads with every field it holds. */
    private static void assertReadAsWritten(Path file) throws IOException {
        JsonObject raw = parse(file);
        RunReport r = ReportWriter.read(file);
        String where = file.toString();
        assertEquals(r.schemaVersion(), RunReport.SCHEMA_VERSION, where);
        assertEquals(r.task(), raw.get("task").getAsString(), where);
        JsonObject config = raw.getAsJsonObject("config");
        RunReport.ConfigSection c = r.config();
        assertEquals(c.model().stateSize(), config.get("stateSize").getAsInt(), where);
        assertEquals(c.model().hiddenSize(), config.get("hiddenSize").getAsInt(), where);
        assertEquals(c.model().layers(), config.get("layers").getAsInt(), where);
        assertEquals(c.model().dropout(), config.get("dropout").getAsFloat(), where);
        assertEquals(c.training().epochs(), config.get("epochs").getAsInt(), where);
        assertEquals(c.training().batchSize(), config.get("batchSize").getAsInt(), where);
        assertEquals(c.training().learningRate(), config.get("learningRate").getAsFloat(), where);
        assertEquals(
                c.training().learningRateSchedule().name(),
                config.get("learningRateSchedule").getAsString(),
                where);
        assertEquals(c.training().weightDecay(), config.get("weightDecay").getAsFloat(), where);
        assertEquals(c.training().seed(), config.get("seed").getAsLong(), where);
        assertEquals(c.training().limit(), config.get("limit").getAsInt(), where);
        assertEquals(c.compression(), config.get("compression").getAsBoolean(), where);
        CompressionSettings s = c.compressionSettings();
        assertEquals(s.getTolerance(), config.get("tolerance").getAsDouble(), where);
        assertEquals(s.getWarmupFraction(), config.get("warmupFraction").getAsDouble(), where);
        assertEquals(s.getGramianWeighting().name(), config.get("weighting").getAsString(), where);
        assertEquals(s.getExtraChecks(), intOr(config, "extraChecks"), where);
        assertEquals(s.getInputWeightFloor(), doubleOr(config, "inputWeightFloor"), where);
        assertEquals(s.getSeed(), config.get("seed").getAsLong(), where);

        JsonArray checks = raw.getAsJsonArray("checks");
        assertEquals(r.checks().size(), checks.size(), where);
        for (int i = 0; i < checks.size(); i++) {
            JsonObject old = checks.get(i).getAsJsonObject();
            Check check = r.checks().get(i);
            String at = where + " check " + i;
            assertEquals(check.getStep(), old.get("step").getAsLong(), at);
            assertEquals(check.getLayer(), old.get("layerPath").getAsString(), at);
            assertEquals(r.layerIndex(check), old.get("layer").getAsInt(), at);
            assertEquals(check.getOutcome().name(), old.get("outcome").getAsString(), at);
            assertEquals(check.getStateSizeBefore(), old.get("fromSize").getAsInt(), at);
            assertEquals(check.getStateSizeAfter(), old.get("toSize").getAsInt(), at);
            assertEquals(check.getKeptOrder(), old.get("chosenRank").getAsInt(), at);
            assertEquals(
                    check.getOutcome() == Outcome.REDUCED, old.get("reduced").getAsBoolean(), at);
            double energy = old.get("energyKept").getAsDouble();
            if (Double.isNaN(energy)) {
                assertNull(check.getEnergyKept(), at);
            } else {
                assertEquals(check.getEnergyKept(), energy, at);
            }
            assertEquals(check.getMilliseconds(), old.get("millis").getAsDouble(), at);
            assertEquals(check.getWeighting().name(), old.get("weighting").getAsString(), at);
            assertEquals(check.getHankelSingularValues(), doubles(old, "hankelSingularValues"), at);
            assertEquals(
                    check.getLocalHankelSingularValues(),
                    doubles(old, "localHankelSingularValues"),
                    at);
        }
        assertEquals(r.layerPaths().size(), raw.getAsJsonArray("initialStateSizes").size(), where);
        assertEquals(r.reductions().size(), raw.getAsJsonArray("reductions").size(), where);
        assertEquals(r.steps(), raw.get("steps").getAsLong(), where);
        assertEquals(
                r.metric().value(),
                raw.getAsJsonObject("metric").get("value").getAsDouble(),
                where);
    }

    private static int intOr(JsonObject config, String field) {
        return config.has(field) ? config.get(field).getAsInt() : 0;
    }

    private static double doubleOr(JsonObject config, String field) {
        return config.has(field) ? config.get(field).getAsDouble() : 0;
    }

    private static double[] doubles(JsonObject object, String field) {
        JsonArray array = object.getAsJsonArray(field);
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsDouble();
        }
        return values;
    }

    private static boolean isRunReport(Path file) {
        try {
            JsonElement json = JsonParser.parseString(Files.readString(file));
            return json.isJsonObject() && json.getAsJsonObject().has("schemaVersion");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject parse(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ReportWriterTest.class.getResource(name).toURI());
    }
}
