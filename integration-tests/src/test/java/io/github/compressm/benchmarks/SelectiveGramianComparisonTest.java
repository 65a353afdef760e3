package io.github.compressm.benchmarks;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** The selective comparison refuses settings it cannot run, before it reads or trains anything. */
public class SelectiveGramianComparisonTest {

    @Test
    public void anOrderAtLeastTheStateSizeIsRefused() {
        assertRefused(
                "every order must be in [1, --state-size = 16)",
                "--state-size",
                "16",
                "--orders",
                "4,16");
    }

    @Test
    public void aLayerOutsideTheModelIsRefused() {
        assertRefused("--layer must be in [0, 2)", "--layers", "2", "--layer", "2");
    }

    private static void assertRefused(String fragment, String... args) {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new SelectiveGramianComparison());
        command.setErr(new PrintWriter(err));
        Assert.assertEquals(command.execute(args), 2);
        Assert.assertTrue(err.toString().contains(fragment), err.toString());
    }
}
