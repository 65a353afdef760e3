package io.github.compressm.examples.training;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Two output streams that share a terminal, the standard output and the standard error, such that a
 * write to the error stream first ends a line the output stream left unfinished. DJL's progress bar
 * redraws one unfinished line on the standard output (a carriage return, no newline until 100 %),
 * and SLF4J's simple logger writes whole lines to the standard error; without the newline a log
 * line written mid-epoch would continue the bar's line. The bar then redraws on the line after the
 * log line. Writes to the two streams are serialised.
 */
final class SharedTerminal {

    private final OutputStream out;
    private final OutputStream err;
    private boolean lineOpen;

    /**
     * Creates the pair over the real streams.
     *
     * @param out the standard output
     * @param err the standard error
     */
    SharedTerminal(OutputStream out, OutputStream err) {
        this.out = out;
        this.err = err;
    }

    /** Returns the stream that writes to the standard output and remembers an unfinished line. */
    OutputStream out() {
        return new Side(false);
    }

    /**
     * Returns the stream that ends an unfinished output line, then writes to the standard error.
     */
    OutputStream err() {
        return new Side(true);
    }

    /** One of the two streams; every write and flush holds the pair's lock. */
    private final class Side extends OutputStream {

        private final boolean error;
        private final OutputStream target;

        Side(boolean error) {
            this.error = error;
            this.target = error ? err : out;
        }

        /** {@inheritDoc} */
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /** {@inheritDoc} */
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (SharedTerminal.this) {
                if (len == 0) {
                    return;
                }
                if (error && lineOpen) {
                    out.write('\n');
                    out.flush();
                    lineOpen = false;
                }
                target.write(b, off, len);
                target.flush();
                if (!error) {
                    lineOpen = b[off + len - 1] != '\n';
                }
            }
        }

        /** {@inheritDoc} */
        @Override
        public void flush() throws IOException {
            synchronized (SharedTerminal.this) {
                target.flush();
            }
        }
    }
}
