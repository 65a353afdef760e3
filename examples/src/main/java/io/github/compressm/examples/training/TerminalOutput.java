package io.github.compressm.examples.training;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Makes progress bars and log lines of a training run keep to lines of their own on the terminal:
 * {@link #install()} replaces {@link System#out} and {@link System#err} with streams over the
 * originals through which a log line first ends the progress bar's unfinished line (see {@link
 * SharedTerminal}). Nothing else of the output changes. Command-line entry points call it first.
 */
public final class TerminalOutput {

    private static boolean installed;

    private TerminalOutput() {}

    /** Wraps the standard output and error of this JVM, once; later calls do nothing. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        SharedTerminal terminal = new SharedTerminal(System.out, System.err);
        System.setOut(new PrintStream(terminal.out(), true, encoding("stdout.encoding")));
        System.setErr(new PrintStream(terminal.err(), true, encoding("stderr.encoding")));
        installed = true;
    }

    /** The encoding the JVM chose for a standard stream, else the default charset. */
    private static Charset encoding(String property) {
        String name = System.getProperty(property, System.getProperty("sun." + property));
        if (name == null) {
            return Charset.defaultCharset();
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return Charset.defaultCharset();
        }
    }
}
