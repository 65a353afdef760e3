package io.github.compressm.examples.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The peak resident memory (RSS) of this process since the last {@link #reset()}, as Linux reports
 * it: {@code VmHWM} in {@code /proc/self/status}, reset by writing {@code 5} to {@code
 * /proc/self/clear_refs}. Native tensors (PyTorch's CPU allocations) count in it, which no JVM
 * counter does; so does the Java heap, so for memory studies fix the heap with {@code -Xms} equal
 * to {@code -Xmx} and {@code -XX:+AlwaysPreTouch}.
 *
 * <p>On other systems, or where the files cannot be read or written, the probe is unsupported and
 * {@link #readMegabytes()} is empty.
 */
public final class PeakResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final String PEAK_FIELD = "VmHWM:";

    private final boolean supported;

    /** Creates a probe and checks once that it can read and reset the peak. */
    public PeakResidentMemory() {
        supported = readKilobytes() >= 0 && reset();
    }

    /**
     * Returns whether this system reports and resets the peak.
     *
     * @return {@code true} on Linux with a readable {@code /proc}
     */
    public boolean isSupported() {
        return supported;
    }

    /**
     * Reads the peak resident memory since the last reset (or since the process started).
     *
     * @return the peak in megabytes (2^20 bytes), or empty if unsupported
     */
    public OptionalDouble readMegabytes() {
        if (!supported) {
            return OptionalDouble.empty();
        }
        long kb = readKilobytes();
        return kb < 0 ? OptionalDouble.empty() : OptionalDouble.of(kb / 1024.0);
    }

    /**
     * Starts a new measurement: the peak becomes the current resident memory.
     *
     * @return {@code true} if the peak was reset
     */
    public boolean reset() {
        try {
            Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The {@code VmHWM} line's value in kB, or -1 if it cannot be read. */
    private static long readKilobytes() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith(PEAK_FIELD)) {
                    String value = line.substring(PEAK_FIELD.length()).trim();
                    return Long.parseLong(value.substring(0, value.indexOf(' ')));
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            // Unreadable, or a format without the field's number: treated as unsupported.
            return -1;
        }
    }
}
