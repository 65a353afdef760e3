package io.github.compressm.examples.training;

import static org.testng.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.testng.annotations.Test;

/** A log line ends the progress bar's unfinished line first, and nothing else changes. */
public class SharedTerminalTest {

    @Test
    public void aLogLineEndsAnUnfinishedProgressLineFirst() {
        // What a terminal shows of both streams, in the order they were written.
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        ByteArrayOutputStream outOnly = new ByteArrayOutputStream();
        ByteArrayOutputStream errOnly = new ByteArrayOutputStream();
        SharedTerminal terminal = new SharedTerminal(tee(outOnly, screen), tee(errOnly, screen));
        PrintStream out = new PrintStream(terminal.out(), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(terminal.err(), true, StandardCharsets.UTF_8);
        out.print("\rTraining:     25% |███       | MSE: 0.57");
        err.println("[main] INFO Listener - state 64 -> 27");
        out.print("\rTraining:     50% |█████     | MSE: 0.38");
        out.println("\rTraining:    100% |██████████| MSE: 0.22");
        err.println("[main] INFO Logging - Epoch 1 finished.");
        err.println("[main] INFO Logging - Train: MSE: 0.14");
        out.print("\rTraining:     25% |███       | MSE: 0.13");

        assertEquals(
                screen.toString(StandardCharsets.UTF_8),
                "\rTraining:     25% |███       | MSE: 0.57\n"
                        + "[main] INFO Listener - state 64 -> 27\n"
                        + "\rTraining:     50% |█████     | MSE: 0.38"
                        + "\rTraining:    100% |██████████| MSE: 0.22\n"
                        + "[main] INFO Logging - Epoch 1 finished.\n"
                        + "[main] INFO Logging - Train: MSE: 0.14\n"
                        + "\rTraining:     25% |███       | MSE: 0.13");
        // The added newline goes to the output stream; the error stream gets the log lines only.
        assertEquals(
                errOnly.toString(StandardCharsets.UTF_8),
                "[main] INFO Listener - state 64 -> 27\n"
                        + "[main] INFO Logging - Epoch 1 finished.\n"
                        + "[main] INFO Logging - Train: MSE: 0.14\n");
        assertEquals(
                outOnly.toString(StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count(), 2);
    }

    @Test
    public void finishedLinesAndEmptyWritesAddNothing() {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        SharedTerminal terminal =
                new SharedTerminal(
                        tee(new ByteArrayOutputStream(), screen),
                        tee(new ByteArrayOutputStream(), screen));
        PrintStream out = new PrintStream(terminal.out(), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(terminal.err(), true, StandardCharsets.UTF_8);
        out.println("summary");
        out.print("");
        err.println("log");
        out.print("partial");
        err.print("");
        err.println("next");
        assertEquals(screen.toString(StandardCharsets.UTF_8), "summary\nlog\npartial\nnext\n");
    }

    /** A stream that writes to its own buffer and to the shared screen. */
    private static OutputStream tee(ByteArrayOutputStream own, ByteArrayOutputStream screen) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                own.write(b);
                screen.write(b);
            }
        };
    }
}
