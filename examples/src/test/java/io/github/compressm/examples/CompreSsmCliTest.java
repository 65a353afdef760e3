package io.github.compressm.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.compressm.examples.report.RunReport;
import io.github.compressm.listener.CompressionReport;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Every subcommand end to end on a tiny configuration, with its report parsed and checked. */
public class CompreSsmCliTest {

    private Path dir;

    @BeforeClass
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("compressm-examples-test");
    }

    @AfterClass(alwaysRun = true)
    public void tearDown() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    public void demoCompressesAndWritesReportAndPlots() throws IOException {
        Path report = dir.resolve("demo.json");
        Path plots = dir.resolve("demo-plots");
        CliRunner.Result r =
                demo(
                        report,
                        "--epochs",
                        "3",
                        "--train-sequences",
                        "64",
                        "--seq-len",
                        "32",
                        "--plot-dir",
                        plots.toString());
        assertEquals(r.exitCode(), 0, r.err());
        RunReport rep = ReportChecks.check(report, "demo", 1, 64, "test_mse");
        assertTrue(
                rep.finalStateSizes().get(0) < 64, "the demo compresses: " + rep.finalStateSizes());
        assertTrue(!rep.reductions().isEmpty());
        assertEquals(rep.details().get("trueOrder"), 4.0);
        for (String png : new String[] {"hsv-layer0.png", "state-sizes.png", "loss.png"}) {
            assertTrue(Files.size(plots.resolve(png)) > 1000, png);
        }
    }

    @Test
    public void demoBuildsItsModelFromTheChosenSsm() throws IOException {
        Path report = dir.resolve("demo-s5.json");
        CliRunner.Result r =
                demo(
                        report,
                        "--ssm",
                        "s5",
                        "--epochs",
                        "2",
                        "--train-sequences",
                        "32",
                        "--seq-len",
                        "16");
        assertEquals(r.exitCode(), 0, r.err());
        RunReport rep = ReportChecks.check(report, "demo", 1, 64, "test_mse");
        assertTrue(!rep.checks().isEmpty(), "the listener checks the S5 layer");
        for (CompressionReport.Check check : rep.checks()) {
            assertTrue(check.getLayer().endsWith("S5"), check.getLayer());
        }
    }

    @Test
    public void sysidBaselineKeepsItsStateSize() throws IOException {
        Path report = dir.resolve("sysid.json");
        CliRunner.Result r =
                CliRunner.run(
                        "sysid",
                        "--no-compression",
                        "--epochs",
                        "2",
                        "--state-size",
                        "16",
                        "--layers",
                        "2",
                        "--train-sequences",
                        "32",
                        "--test-sequences",
                        "8",
                        "--seq-len",
                        "24",
                        "--order",
                        "3",
                        "--report",
                        report.toString());
        assertEquals(r.exitCode(), 0, r.err());
        RunReport rep = ReportChecks.check(report, "sysid", 2, 16, "test_mse");
        assertEquals(rep.details().get("trueOrder"), 3.0);
        assertEquals(rep.details().get("model"), "RESIDUAL");
    }

    @Test
    public void listopsTrainsOnGeneratedExpressions() throws IOException {
        Path report = dir.resolve("listops.json");
        CliRunner.Result r =
                CliRunner.run(
                        "listops",
                        "--epochs",
                        "2",
                        "--state-size",
                        "16",
                        "--hidden-size",
                        "8",
                        "--train-examples",
                        "96",
                        "--test-examples",
                        "32",
                        "--max-length",
                        "48",
                        "--min-length",
                        "8",
                        "--depth",
                        "3",
                        "--warmup-fraction",
                        "0.5",
                        "--report",
                        report.toString(),
                        "--plot-dir",
                        dir.resolve("lo").toString());
        assertEquals(r.exitCode(), 0, r.err());
        RunReport rep = ReportChecks.check(report, "listops", 2, 16, "test_accuracy");
        double acc = rep.metric().value();
        assertTrue(acc >= 0 && acc <= 1, "accuracy in [0, 1]: " + acc);
        assertTrue(rep.epochs().get(0).trainAccuracy() != null);
        assertTrue(Files.isRegularFile(dir.resolve("lo").resolve("accuracy.png")));
        assertTrue(((String) rep.details().get("exampleExpression")).startsWith("["));
    }

    @Test
    public void charLmReportsBitsPerCharacterAndSamples() throws IOException {
        Path text = dir.resolve("text.txt");
        TestTexts.writeWords(text);
        Path report = dir.resolve("charlm.json");
        CliRunner.Result r =
                CliRunner.run(
                        TinyRuns.charLm(
                                text, 16, report, "--save-model", dir.resolve("lm").toString()));
        assertEquals(r.exitCode(), 0, r.err());
        ReportChecks.checkCharLm(
                ReportChecks.check(report, "char-lm", 1, 16, "bits_per_character"));
    }

    @Test(dependsOnMethods = "charLmReportsBitsPerCharacterAndSamples")
    public void generateContinuesAPromptWithTheSavedModel() {
        String[] greedy = {
            "generate",
            "--model",
            dir.resolve("lm").toString(),
            "--prompt",
            "the state ",
            "--length",
            "30",
            "--temperature",
            "0"
        };
        CliRunner.Result r = CliRunner.run(greedy);
        assertEquals(r.exitCode(), 0, r.err());
        String line = r.out().replaceFirst("\\R\\z", "");
        assertTrue(line.startsWith("the state "), line);
        assertEquals(line.codePointCount(0, line.length()), "the state ".length() + 30, line);
        CliRunner.Result djl = CliRunner.run(TinyRuns.with(greedy, "--generation", "djl"));
        assertEquals(djl.exitCode(), 0, djl.err());
        assertEquals(djl.out(), r.out(), "the DJL path's greedy continuation");
        CliRunner.Result missing =
                CliRunner.run("generate", "--model", dir.toString(), "--prompt", "a");
        assertEquals(missing.exitCode(), 1);
        assertTrue(missing.err().contains("char-lm --save-model"), missing.err());
    }

    @Test
    public void charLmNeedsAText() {
        CliRunner.Result help = CliRunner.run("char-lm", "--help");
        assertEquals(help.exitCode(), 0);
        assertTrue(help.out().contains("vim-runtime"), help.out());
        CliRunner.Result missingFile =
                CliRunner.run("char-lm", "--text", dir.resolve("nope.txt").toString());
        assertEquals(missingFile.exitCode(), 1);
        assertTrue(missingFile.err().contains("text file not found"), missingFile.err());
        assertTrue(missingFile.err().contains("apt-get install vim-runtime"), missingFile.err());
    }

    @Test
    public void sequentialImageReadsLocalIdxFiles() throws IOException {
        Path data = dir.resolve("idx");
        Files.createDirectories(data);
        Random random = new Random(3);
        writeIdx(data.resolve("train-images-idx3-ubyte.gz"), true, images(48, random), 48, 28, 28);
        writeIdx(data.resolve("train-labels-idx1-ubyte"), false, labels(48, random), 48);
        writeIdx(data.resolve("t10k-images-idx3-ubyte"), false, images(16, random), 16, 28, 28);
        writeIdx(data.resolve("t10k-labels-idx1-ubyte.gz"), true, labels(16, random), 16);
        Path report = dir.resolve("image.json");
        CliRunner.Result r =
                CliRunner.run(
                        "sequential-image",
                        "--data-dir",
                        data.toString(),
                        "--epochs",
                        "1",
                        "--state-size",
                        "8",
                        "--hidden-size",
                        "4",
                        "--batch-size",
                        "16",
                        "--limit",
                        "32",
                        "--test-limit",
                        "0",
                        "--report",
                        report.toString());
        assertEquals(r.exitCode(), 0, r.err());
        RunReport rep = ReportChecks.check(report, "sequential-image", 1, 8, "test_accuracy");
        assertEquals(rep.details().get("sequenceLength"), 784.0);
        assertEquals(rep.steps(), 2, "32 images in batches of 16");
    }

    @Test
    public void sequentialImageExplainsMissingData() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRunner.Result r = CliRunner.run("sequential-image", "--data-dir", empty.toString());
        assertEquals(r.exitCode(), 1);
        assertTrue(r.err().contains("missing IDX files"), r.err());
        assertTrue(r.err().contains("apt-get install dataset-fashion-mnist"), r.err());
        assertTrue(r.err().contains("ai.djl.offline"), r.err());
    }

    @Test
    public void invalidValuesAreRejectedWithAMessage() {
        String[][] bad = {
            {"demo", "--tau", "1.5"},
            {"demo", "--warmup-fraction", "0"},
            {"demo", "--state-size", "0"},
            {"listops", "--lr", "-1"},
            {"sysid", "--pole-max", "1.2"},
            {"listops", "--max-args", "1"},
            {"sequential-image", "--dataset", "CIFAR"},
        };
        for (String[] args : bad) {
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(r.exitCode(), 2, String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().length() > 0, String.join(" ", args));
        }
        assertTrue(CliRunner.run("demo", "--tau", "1.5").err().contains("--tau must be in [0, 1)"));
    }

    /** Runs {@code demo} on 8 test sequences in batches of 8, half the steps a warm-up. */
    private static CliRunner.Result demo(Path report, String... options) {
        return CliRunner.run(
                TinyRuns.with(
                        new String[] {
                            "demo",
                            "--test-sequences",
                            "8",
                            "--batch-size",
                            "8",
                            "--warmup-fraction",
                            "0.5",
                            "--report",
                            report.toString()
                        },
                        options));
    }

    private static byte[] images(int n, Random random) {
        byte[] b = new byte[n * 28 * 28];
        random.nextBytes(b);
        return b;
    }

    private static byte[] labels(int n, Random random) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(10);
        }
        return b;
    }

    private static void writeIdx(Path file, boolean gzip, byte[] values, int... shape)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(0);
        out.writeByte(0);
        out.writeByte(0x08);
        out.writeByte(shape.length);
        for (int s : shape) {
            out.writeInt(s);
        }
        out.write(values);
        out.flush();
        try (OutputStream os = Files.newOutputStream(file);
                OutputStream target = gzip ? new GZIPOutputStream(os) : os) {
            target.write(bytes.toByteArray());
        }
    }
}
