package io.github.compressm.examples;

import io.github.compressm.examples.cli.CharLmCommand;
import io.github.compressm.examples.cli.DemoCommand;
import io.github.compressm.examples.cli.GenerateCommand;
import io.github.compressm.examples.cli.ListOpsCommand;
import io.github.compressm.examples.cli.SequentialImageCommand;
import io.github.compressm.examples.cli.SysIdCommand;
import io.github.compressm.examples.training.DataUnavailableException;
import io.github.compressm.examples.training.TerminalOutput;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The examples' command line: one subcommand per task, sharing the flags of {@link
 * io.github.compressm.examples.cli.CommonOptions}. Run {@code java -jar compressm-examples.jar
 * demo}, or {@code --help} for the list.
 */
@Command(
        name = "compressm-examples",
        mixinStandardHelpOptions = true,
        version = "CompreSSM examples 0.1.0",
        description = "Trains state space models with in-training compression (CompreSSM) on DJL.",
        subcommands = {
            DemoCommand.class,
            SequentialImageCommand.class,
            ListOpsCommand.class,
            CharLmCommand.class,
            SysIdCommand.class,
            GenerateCommand.class
        })
public final class CompreSsmCli {

    private CompreSsmCli() {}

    /**
     * Creates the command line, with an error handler that prints the message of expected failures
     * (missing data, bad input) without a stack trace.
     *
     * @return the command line
     */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new CompreSsmCli());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    PrintWriter err = commandLine.getErr();
                    if (e instanceof DataUnavailableException
                            || e instanceof IllegalArgumentException) {
                        err.println("error: " + e.getMessage());
                    } else {
                        err.println("error: " + e);
                        e.printStackTrace(err);
                    }
                    err.flush();
                    return 1;
                });
        return cmd;
    }

    /**
     * Runs the command line and exits with its code; progress bars and log lines keep to lines of
     * their own ({@link TerminalOutput}).
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        TerminalOutput.install();
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }
}
