package io.github.compressm.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.compressm.examples.report.ReportWriter;
import io.github.compressm.examples.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** A character language model of Mamba-2 layers ({@code --ssm mamba2}) trains and generates. */
public class Mamba2CliTest {

    @Test
    public void charLmOfMamba2LayersTrainsAndSamples() throws IOException {
        Path dir = Files.createTempDirectory("compressm-mamba2-cli");
        Path text = TestTexts.writeWords(dir.resolve("text.txt"));
        Path report = dir.resolve("charlm.json");
        CliRunner.Result r =
                CliRunner.run(
                        "char-lm",
                        "--ssm",
                        "mamba2",
                        "--text",
                        text.toString(),
                        "--epochs",
                        "1",
                        "--state-size",
                        "8",
                        "--hidden-size",
                        "16",
                        "--layers",
                        "1",
                        "--seq-len",
                        "32",
                        "--sample-length",
                        "20",
                        "--report",
                        report.toString());
        assertEquals(r.exitCode(), 0, r.err());
        RunReport rep = ReportWriter.read(report);
        assertEquals(rep.task(), "char-lm");
        assertTrue(rep.steps() > 0);
        double bpc = rep.metric().value();
        assertTrue(bpc > 0 && bpc < 8, "bits per character: " + bpc);
        String sample = (String) rep.details().get("sample");
        // Generation runs the layers step by step, carrying both of each Mamba2 layer's states.
        assertEquals(sample.codePointCount(0, sample.length()), 20);
    }
}
