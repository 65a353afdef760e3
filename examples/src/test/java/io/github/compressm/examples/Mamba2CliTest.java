package io.github.compressm.examples;

import static org.testng.Assert.assertEquals;

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
        CliRunner.Result r = CliRunner.run(TinyRuns.charLm(text, 8, report, "--ssm", "mamba2"));
        assertEquals(r.exitCode(), 0, r.err());
        // Sampling runs the layers step by step, carrying both of each Mamba2 layer's states.
        ReportChecks.checkCharLm(ReportChecks.check(report, "char-lm", 1, 8, "bits_per_character"));
    }
}
