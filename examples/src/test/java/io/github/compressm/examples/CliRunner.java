package io.github.compressm.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the command line in-process and captures its exit code, standard and error output. */
final class CliRunner {

    private CliRunner() {}

    /** The outcome of one command line run. */
    record Result(int exitCode, String out, String err) {}

    static Result run(String... args) {
        CommandLine cmd = CompreSsmCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
