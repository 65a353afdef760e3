package io.github.compressm.examples.report;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.github.compressm.control.GramianWeighting;
import io.github.compressm.listener.CompressionSettings;

/**
 * Reads reports of format 1 into the current form: the flat config section becomes the model,
 * training and compression parts, the examples' own checks become the listener's, and the layer
 * paths are taken from the checks.
 */
final class ReportFormatOne {

    /** The format this class reads. */
    static final int VERSION = 1;

    private ReportFormatOne() {}

    /**
     * Rewrites a report of format 1 in the current format.
     *
     * @param report the report as written, modified in place
     * @param gson the JSON mapping of the current format, for the compression settings
     * @return the same object, in the current format
     */
    static JsonObject upgrade(JsonObject report, Gson gson) {
        JsonObject flat = report.getAsJsonObject("config");
        report.add("config", config(flat, gson));
        JsonArray layerPaths = new JsonArray();
        report.getAsJsonArray("initialStateSizes")
                .forEach(size -> layerPaths.add(JsonNull.INSTANCE));
        JsonArray checks = new JsonArray();
        for (JsonElement element : report.getAsJsonArray("checks")) {
            JsonObject check = element.getAsJsonObject();
            layerPaths.set(check.get("layer").getAsInt(), check.get("layerPath"));
            checks.add(check(check));
        }
        report.add("layerPaths", layerPaths);
        report.add("checks", checks);
        report.addProperty("schemaVersion", RunReport.SCHEMA_VERSION);
        return report;
    }

    private static JsonObject config(JsonObject flat, Gson gson) {
        JsonObject model = new JsonObject();
        for (String field : new String[] {"stateSize", "hiddenSize", "layers", "dropout"}) {
            model.add(field, flat.get(field));
        }
        JsonObject training = new JsonObject();
        for (String field :
                new String[] {
                    "epochs",
                    "batchSize",
                    "learningRate",
                    "learningRateSchedule",
                    "weightDecay",
                    "seed",
                    "limit"
                }) {
            training.add(field, flat.get(field));
        }
        CompressionSettings settings =
                CompressionSettings.builder()
                        .optTolerance(flat.get("tolerance").getAsDouble())
                        .optWarmupFraction(flat.get("warmupFraction").getAsDouble())
                        .optExtraChecks(
                                flat.has("extraChecks") ? flat.get("extraChecks").getAsInt() : 0)
                        .optGramianWeighting(
                                GramianWeighting.valueOf(flat.get("weighting").getAsString()))
                        .optInputWeightFloor(
                                flat.has("inputWeightFloor")
                                        ? flat.get("inputWeightFloor").getAsDouble()
                                        : 0)
                        .optSeed(flat.get("seed").getAsLong())
                        .build();
        JsonObject config = new JsonObject();
        config.add("model", model);
        config.add("training", training);
        config.add("compression", flat.get("compression"));
        config.add("compressionSettings", gson.toJsonTree(settings));
        return config;
    }

    private static JsonObject check(JsonObject old) {
        JsonObject check = new JsonObject();
        check.add("step", old.get("step"));
        check.add("layer", old.get("layerPath"));
        check.add("outcome", old.get("outcome"));
        check.add("stateSizeBefore", old.get("fromSize"));
        check.add("stateSizeAfter", old.get("toSize"));
        check.add("hankelSingularValues", old.get("hankelSingularValues"));
        check.add("keptOrder", old.get("chosenRank"));
        double energy = old.get("energyKept").getAsDouble();
        if (!Double.isNaN(energy)) {
            check.addProperty("energyKept", energy);
        }
        check.add("milliseconds", old.get("millis"));
        if (GramianWeighting.DATA.name().equals(old.get("weighting").getAsString())) {
            check.add("weighting", old.get("weighting"));
            check.add("localHankelSingularValues", old.get("localHankelSingularValues"));
        }
        return check;
    }
}
