package io.github.compressm.examples;

import static org.testng.Assert.assertEquals;

import io.github.compressm.examples.report.ReportWriter;
import io.github.compressm.examples.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/**
 * A character language model asked for no sample ({@code --sample-length 0}) reports an empty one.
 */
public class CharLmWithoutSampleTest {

    @Test
    public void aSampleLengthOfZeroGeneratesNothing() throws IOException {
        Path dir = Files.createTempDirectory("compressm-charlm-no-sample");
        Path text = TestTexts.writeWords(dir.resolve("text.txt"));
        Path report = dir.resolve("charlm.json");
        CliRunner.Result r =
                CliRunner.run(
                        "char-lm",
                        "--text",
                        text.toString(),
                        "--epochs",
                        "1",
                        "--limit",
                        "32",
                        "--state-size",
                        "4",
                        "--hidden-size",
                        "8",
                        "--seq-len",
                        "16",
                        "--sample-length",
                        "0",
                        "--report",
                        report.toString());
        assertEquals(r.exitCode(), 0, r.err());
        RunReport rep = ReportWriter.read(report);
        assertEquals(rep.details().get("sample"), "");
    }
}
