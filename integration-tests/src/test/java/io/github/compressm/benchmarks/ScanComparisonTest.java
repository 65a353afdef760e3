package io.github.compressm.benchmarks;

import io.github.compressm.benchmarks.ComparisonRecords.Series;
import io.github.compressm.ssm.DiagonalScan;
import java.util.ArrayList;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** The scan comparison's crossover, table and command line (no timing). */
public class ScanComparisonTest {

    @Test
    public void findsTheLargestSizeUpToWhichTheFftScanWinsEverywhere() {
        // FFT faster at 8 and 16, slower at 32, faster again at 64: the crossover is 16.
        List<Series> series = new ArrayList<>();
        add(series, 8, 10, 5, 12, 6);
        add(series, 16, 11, 7, 12, 8);
        add(series, 32, 12, 13, 13, 14);
        add(series, 64, 20, 15, 22, 16);
        Assert.assertEquals(ScanComparison.fftFasterUpTo(List.of(64, 8, 32, 16), series), 16);
        // Faster in minimum but not in median is not faster.
        List<Series> mixed = new ArrayList<>();
        add(mixed, 8, 10, 9, 12, 13);
        Assert.assertEquals(ScanComparison.fftFasterUpTo(List.of(8), mixed), 0);
    }

    @Test
    public void tableHasARowPerSizeAndPassWithRatiosAndTheCrossover() {
        ScanComparison c = new ScanComparison();
        new CommandLine(c).parseArgs("--length", "784");
        List<Series> series = new ArrayList<>();
        int small = 8;
        add(series, small, 10, 5, 12, 6);
        add(series, 4 * small, 20, 40, 22, 44);
        List<Integer> sizes = List.of(small, 4 * small);
        String table =
                c.markdown(
                        sizes,
                        series,
                        ScanComparison.ratios(sizes, series),
                        ScanComparison.fftFasterUpTo(sizes, series),
                        2,
                        true);
        Assert.assertTrue(table.startsWith("SMOKE RUN"), table);
        Assert.assertTrue(table.contains("; 2 PyTorch threads"), table);
        Assert.assertTrue(
                table.contains(
                        "| "
                                + small
                                + " | forward+backward | 10.0 / 12.0 | 5.00 / 6.00 | 0.50 |"
                                + " 0.50 |"),
                table);
        Assert.assertTrue(
                table.contains(
                        "| "
                                + 4 * small
                                + " | forward | 20.0 / 22.0 | 40.0 / 44.0 | 2.00 |"
                                + " 2.00 |"),
                table);
        Assert.assertTrue(table.contains("at every measured N up to " + small + "."), table);
    }

    @Test
    public void theCommandLineSetsEveryOptionAndRefusesBadOnes() {
        ScanComparison c = new ScanComparison();
        new CommandLine(c)
                .parseArgs(
                        "--state-sizes", "8,24",
                        "--warmups", "1",
                        "--runs", "2",
                        "--runs-per-round", "1",
                        "--batch", "2",
                        "--length", "57",
                        "--features", "3",
                        "--ssm", "s5");
        Assert.assertEquals(c.stateSizes, List.of(8, 24));
        Assert.assertEquals(
                List.of(c.shape.batch, c.shape.length, c.shape.features), List.of(2, 57, 3));
        Assert.assertEquals(c.shape.runsPerRound, 1);
        Assert.assertEquals(c.ssm, "s5");
        assertRefused("--ssm must be lru or s5, got mamba2", "--ssm", "mamba2");
        assertRefused("state sizes must be positive", "--state-sizes", "0");
        assertRefused("need --batch, --length and --features >= 1", "--length", "0");
    }

    private static void assertRefused(String fragment, String... args) {
        ScanComparison c = new ScanComparison();
        new CommandLine(c).parseArgs(args);
        IllegalArgumentException e = Assert.expectThrows(IllegalArgumentException.class, c::call);
        Assert.assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    /** Both passes of both scans at one size, every series of two calls (its min and median). */
    private static void add(
            List<Series> series,
            int n,
            double chunkedMin,
            double fftMin,
            double chunkedMedian,
            double fftMedian) {
        for (String pass : ComparisonRecords.PASSES) {
            series.add(two(n, pass, DiagonalScan.CHUNKED, chunkedMin, chunkedMedian));
            series.add(two(n, pass, DiagonalScan.FFT, fftMin, fftMedian));
        }
    }

    private static Series two(int n, String pass, DiagonalScan scan, double min, double median) {
        double other = 2 * median - min;
        return new Series(
                n,
                pass,
                ScanComparison.label(scan),
                ComparisonRecords.LAYER,
                List.of(min, other),
                min,
                median);
    }
}
