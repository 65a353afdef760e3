package io.github.compressm.benchmarks;

import java.nio.file.Path;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** The shared timing options, parsed through the commands that mix them in. */
public class TimingOptionsTest {

    @DataProvider
    public Object[][] commands() {
        return new Object[][] {{new LayerComparison()}, {new GenerationBenchmark()}};
    }

    private static TimingOptions timing(Object command) {
        return command instanceof LayerComparison c
                ? c.timing
                : ((GenerationBenchmark) command).timing;
    }

    @Test(dataProvider = "commands")
    public void everyCommandParsesTheSharedOptions(Object command) {
        new CommandLine(command)
                .parseArgs("--warmups", "1", "--runs", "2", "--threads", "1", "--json", "r.json");
        TimingOptions timing = timing(command);
        Assert.assertEquals(timing.warmups(), 1);
        Assert.assertEquals(timing.runs(), 2);
        Assert.assertEquals(timing.threads(), 1);
        Assert.assertEquals(timing.json(), Path.of("r.json"));
        Assert.assertTrue(timing.isSmokeRun());
    }

    @Test(dataProvider = "commands")
    public void theDefaultsAreAResultNotASmokeRun(Object command) {
        new CommandLine(command).parseArgs();
        TimingOptions timing = timing(command);
        Assert.assertFalse(timing.isSmokeRun());
        Assert.assertNull(timing.json());
        timing.validate();
    }

    @Test
    public void eitherCountBelowTheMinimumIsASmokeRun() {
        for (List<String> args : List.of(List.of("--warmups", "2"), List.of("--runs", "8"))) {
            TimingOptions timing = new TimingOptions();
            new CommandLine(timing).parseArgs(args.toArray(String[]::new));
            Assert.assertTrue(timing.isSmokeRun(), args.toString());
        }
        TimingOptions atTheMinimum = new TimingOptions();
        new CommandLine(atTheMinimum).parseArgs("--warmups", "3", "--runs", "9");
        Assert.assertFalse(atTheMinimum.isSmokeRun());
    }

    @Test
    public void badCountsAreRefusedWithTheirValues() {
        TimingOptions timing = new TimingOptions();
        new CommandLine(timing).parseArgs("--warmups", "-1", "--runs", "0");
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, timing::validate);
        Assert.assertTrue(e.getMessage().contains("-1 and 0"), e.getMessage());
    }
}
