package io.github.compressm.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.compressm.examples.report.ReportWriter;
import io.github.compressm.examples.report.RunReport;
import io.github.compressm.examples.training.PeakResidentMemory;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks that a report file is complete and self-consistent. */
final class ReportChecks {

    private static final String[] TOP_LEVEL_FIELDS = {
        "schemaVersion",
        "task",
        "config",
        "layerPaths",
        "initialStateSizes",
        "finalStateSizes",
        "reductions",
        "checks",
        "steps",
        "trainSeconds",
        "compressionSeconds",
        "metric",
        "metrics",
        "epochs",
        "stateSizeHistory",
        "peakResidentMegabytes",
        "details"
    };

    private ReportChecks() {}

    static RunReport check(Path file, String task, int layers, int stateSize, String metricName)
            throws IOException {
        assertTrue(Files.isRegularFile(file), "report written: " + file);
        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        for (String field : TOP_LEVEL_FIELDS) {
            assertTrue(json.has(field), "report field " + field);
        }
        RunReport r = ReportWriter.read(file);
        assertEquals(r.schemaVersion(), RunReport.SCHEMA_VERSION);
        assertEquals(r.task(), task);
        assertEquals(r.config().model().stateSize(), stateSize);
        assertEquals(r.config().model().layers(), layers);
        assertNotNull(r.config().compressionSettings(), "the listener's settings are recorded");
        assertEquals(r.layerPaths().size(), layers);
        assertEquals(r.initialStateSizes().size(), layers);
        assertEquals(r.finalStateSizes().size(), layers);
        for (int l = 0; l < layers; l++) {
            assertEquals((int) r.initialStateSizes().get(l), stateSize);
            int last = stateSize;
            for (RunReport.Reduction red : r.reductions()) {
                if (red.layer() == l) {
                    assertEquals(red.from(), last, "reductions chain in layer " + l);
                    assertTrue(red.to() < red.from() && red.to() >= 1, "a reduction shrinks");
                    assertTrue(red.energyKept() > 0 && red.energyKept() <= 1 + 1e-9);
                    last = red.to();
                }
            }
            assertEquals((int) r.finalStateSizes().get(l), last, "final size of layer " + l);
        }
        long reduced = r.checks().stream().filter(c -> c.getOutcome() == Outcome.REDUCED).count();
        assertEquals(reduced, r.reductions().size());
        for (Check c : r.checks()) {
            int layer = r.layerIndex(c);
            assertTrue(layer >= 0 && layer < layers);
            if (c.getOutcome() != Outcome.SKIPPED && c.getOutcome() != Outcome.FAILED) {
                assertTrue(c.getHankelSingularValues().length > 0, "HSVs of an analysed layer");
            }
        }
        if (!r.config().compression()) {
            assertTrue(r.checks().isEmpty());
            assertEquals(r.finalStateSizes(), r.initialStateSizes());
        }
        assertTrue(r.steps() > 0);
        assertTrue(r.trainSeconds() > 0);
        assertTrue(r.compressionSeconds() >= 0 && r.compressionSeconds() <= r.trainSeconds());
        assertNotNull(r.metric());
        assertEquals(r.metric().name(), metricName);
        assertTrue(Double.isFinite(r.metric().value()), "metric is a number");
        assertEquals(r.metrics().get(metricName), r.metric().value(), 1e-12);
        assertEquals(r.epochs().size(), r.config().training().epochs());
        assertNotNull(r.epochs().get(0).trainLoss());
        assertFalse(r.stateSizeHistory().isEmpty());
        assertEquals(r.stateSizeHistory().get(0).sizes(), r.initialStateSizes());
        if (new PeakResidentMemory().isSupported()) {
            assertEquals(r.peakResidentMegabytes().size(), r.steps(), "a peak per step");
            assertTrue(r.peakResidentMegabytes().stream().allMatch(mb -> mb > 0), "peaks > 0");
        }
        return r;
    }

    /**
     * Checks the metric and the sample of a {@link TinyRuns#charLm} run's report.
     *
     * @param r the report, already {@link #check checked}
     */
    static void checkCharLm(RunReport r) {
        double bpc = r.metric().value();
        assertTrue(bpc > 0 && bpc < 8, "bits per character: " + bpc);
        String sample = (String) r.details().get("sample");
        assertEquals(sample.codePointCount(0, sample.length()), TinyRuns.SAMPLE_LENGTH, sample);
    }
}
