package io.github.compressm.listener;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a {@link CompressionReport} as JSON, atomically where the file system allows: the report
 * goes to a temporary file beside the target, which then replaces it, so a reader never sees half a
 * report.
 */
final class ReportWriter {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private ReportWriter() {}

    /**
     * Returns the JSON form of a report.
     *
     * @param report the report
     * @return pretty-printed JSON
     */
    static String toJson(CompressionReport report) {
        return GSON.toJson(report);
    }

    /**
     * Writes a report to a file, creating parent directories.
     *
     * @param report the report
     * @param path the target file
     * @throws IOException if writing fails
     */
    static void write(CompressionReport report, Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, absolute.getFileName().toString(), ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                GSON.toJson(report, w);
            }
            try {
                Files.move(
                        tmp,
                        absolute,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
