package io.github.compressm.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the command line in-process and captures its exit code and error output. */
final class CliRunner {

    private CliRunner() {}

    /** The outcome of one command line run. */
    record Result(int exitCode, String err) {}

    static Result run(String... args) {
        CommandLine cmd = CompreSsmCli.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, err.toString());
    }
}
