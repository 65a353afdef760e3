package io.github.compressm.examples.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    private static final String PEAK_FIELD = "VmHWM:";

    private final Path status;
    private final Path clearRefs;
    private final boolean supported;

    /** Creates a probe and checks once that it can read and reset the peak. */
    public PeakResidentMemory() {
        this(Path.of("/proc/self/status"), Path.of("/proc/self/clear_refs"));
    }

    /**
     * Creates a probe on given files in the format of {@code /proc/self/status} and {@code
     * /proc/self/clear_refs}.
     *
     * @param status the status file, with a {@code VmHWM: <n> kB} line
     * @param clearRefs the file a reset writes {@code 5} to
     */
    PeakResidentMemory(Path status, Path clearRefs) {
        this.status = status;
        this.clearRefs = clearRefs;
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
            Files.writeString(clearRefs, "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The {@code VmHWM} line's value in kB, or -1 if it cannot be read. */
    private long readKilobytes() {
        try {
            return parseKilobytes(Files.readAllLines(status, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            // Unreadable: treated as unsupported.
            return -1;
        }
    }

    /**
     * Returns the peak of a status text in kB.
     *
     * @param lines the lines of a {@code /proc/<pid>/status} text
     * @return the number of the {@code VmHWM: <n> kB} line, or -1 if the text has no such line or
     *     the line is not in that form
     */
    static long parseKilobytes(List<String> lines) {
        for (String line : lines) {
            if (line.startsWith(PEAK_FIELD)) {
                String[] value = line.substring(PEAK_FIELD.length()).trim().split("\\s+");
                boolean kilobytes =
                        value.length == 2
                                && value[1].equals("kB")
                                && value[0].matches("[0-9]{1,18}");
                return kilobytes ? Long.parseLong(value[0]) : -1;
            }
        }
        return -1;
    }
}
