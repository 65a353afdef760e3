package io.github.compressm.examples.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes and reads {@link RunReport}s as pretty-printed JSON. */
public final class ReportWriter {

    private static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeSpecialFloatingPointValues()
                    .disableHtmlEscaping()
                    .create();

    private ReportWriter() {}

    /**
     * Writes a report, creating parent directories.
     *
     * @param report the report
     * @param path the JSON file
     * @throws IOException if the file cannot be written
     */
    public static void write(RunReport report, Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(path, toJson(report), StandardCharsets.UTF_8);
    }

    /**
     * Serialises a report.
     *
     * @param report the report
     * @return the JSON text
     */
    public static String toJson(RunReport report) {
        return GSON.toJson(report);
    }

    /**
     * Reads a report written by {@link #write}.
     *
     * @param path the JSON file
     * @return the report
     * @throws IOException if the file cannot be read
     */
    public static RunReport read(Path path) throws IOException {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return GSON.fromJson(reader, RunReport.class);
        }
    }
}
