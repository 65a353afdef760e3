package io.github.compressm.examples.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes and reads {@link RunReport}s as pretty-printed JSON; reads the earlier formats too. */
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
     * Reads a report written by {@link #write}, in the current format or an earlier one.
     *
     * @param path the JSON file
     * @return the report, in the current format (so that writing it again writes that format)
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not a run report or has a newer format
     */
    public static RunReport read(Path path) throws IOException {
        JsonObject json;
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            JsonElement element = JsonParser.parseReader(reader);
            if (!element.isJsonObject() || !element.getAsJsonObject().has("schemaVersion")) {
                throw new IllegalArgumentException(
                        path + " is not a run report: it has no schemaVersion");
            }
            json = element.getAsJsonObject();
        }
        int version = json.get("schemaVersion").getAsInt();
        if (version > RunReport.SCHEMA_VERSION) {
            throw new IllegalArgumentException(
                    path
                            + " has report format "
                            + version
                            + ", newer than this version reads ("
                            + RunReport.SCHEMA_VERSION
                            + "): read it with the version that wrote it");
        }
        if (version == ReportFormatOne.VERSION) {
            ReportFormatOne.upgrade(json, GSON);
        }
        return GSON.fromJson(json, RunReport.class);
    }
}
