package io.github.compressm.listener;

import ai.djl.metric.Dimension;
import ai.djl.metric.Metrics;
import ai.djl.metric.Unit;
import io.github.compressm.listener.CompressionReport.Check;
import io.github.compressm.listener.CompressionReport.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run has done so far: the checks in order and the layers' sizes, told to the log, to the
 * trainer's metrics and, with a report path, to a JSON file.
 */
final class CompressionHistory {

    private static final Logger logger = LoggerFactory.getLogger(CompreSsmListener.class);

    private final Path reportPath;
    private final CompressionSettings settings;
    private final Map<String, Integer> initialSizes = new LinkedHashMap<>();
    private final Map<String, Integer> sizes = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();

    CompressionHistory(Path reportPath, CompressionSettings settings) {
        this.reportPath = reportPath;
        this.settings = settings;
    }

    /** Forgets everything, for a new run. */
    void clear() {
        initialSizes.clear();
        sizes.clear();
        checks.clear();
    }

    /**
     * Starts the history of a run's layers.
     *
     * @param stateSizes the layers' state sizes by path
     */
    void begin(Map<String, Integer> stateSizes) {
        initialSizes.putAll(stateSizes);
        sizes.putAll(stateSizes);
    }

    /**
     * Returns the layers' current state sizes, as the checks left them.
     *
     * @return the sizes by layer path, empty before {@link #begin}
     */
    Map<String, Integer> currentSizes() {
        return new LinkedHashMap<>(sizes);
    }

    /**
     * Returns the layers' state sizes when the run began.
     *
     * @return the sizes by layer path
     */
    Map<String, Integer> initialSizes() {
        return initialSizes;
    }

    /**
     * Records a check and logs it.
     *
     * @param check the finished check
     */
    void add(Check check) {
        checks.add(check);
        sizes.put(check.getLayer(), check.getStateSizeAfter());
        Outcome outcome = check.getOutcome();
        if (outcome == Outcome.REDUCED || outcome == Outcome.ROLLED_BACK) {
            logger.info(
                    "CompreSSM: layer {} at step {}: state {} -> {}, {}% of Hankel energy kept{}",
                    check.getLayer(),
                    check.getStep(),
                    check.getStateSizeBefore(),
                    outcome == Outcome.REDUCED
                            ? check.getStateSizeAfter()
                            : check.getStateSizeBefore() + " (rolled back)",
                    String.format("%.2f", 100 * check.getEnergyKept()),
                    check.getAccuracyBefore() == null
                            ? ""
                            : String.format(
                                    ", validation accuracy %.4f -> %.4f",
                                    check.getAccuracyBefore(), check.getAccuracyAfter()));
        } else if (outcome == Outcome.KEPT) {
            logger.info(
                    "CompreSSM: layer {} at step {}: state {} kept ({})",
                    check.getLayer(),
                    check.getStep(),
                    check.getStateSizeBefore(),
                    check.getMessage());
        }
    }

    /**
     * Returns whether a check at a step reduced a layer (and kept the reduction).
     *
     * @param step the step
     * @return true if a layer is smaller after this step's check
     */
    boolean reducedAt(long step) {
        return checks.stream()
                .anyMatch(c -> c.getStep() == step && c.getOutcome() == Outcome.REDUCED);
    }

    /**
     * Returns whether a check at this step changed a layer, or changed it and undid it.
     *
     * @param step the step
     * @return true if the report should be written now
     */
    boolean changedAt(long step) {
        return checks.stream()
                .anyMatch(
                        c ->
                                c.getStep() == step
                                        && (c.getOutcome() == Outcome.REDUCED
                                                || c.getOutcome() == Outcome.ROLLED_BACK));
    }

    /**
     * Returns the report of the run so far.
     *
     * @param schedule the run's schedule, or null before the first batch
     * @param recordingMillis the time spent recording signal moments
     * @return an immutable snapshot
     */
    CompressionReport report(CompressionSchedule schedule, double recordingMillis) {
        long[] steps = schedule == null ? new long[0] : schedule.getCheckSteps();
        long total = schedule == null ? 0 : schedule.getTotalSteps();
        return new CompressionReport(
                settings, total, steps, initialSizes, currentSizes(), checks, recordingMillis);
    }

    /**
     * Adds every layer's state size to the trainer's metrics, if it has any.
     *
     * @param metrics the trainer's metrics, or null
     */
    void recordSizes(Metrics metrics) {
        if (metrics == null) {
            return;
        }
        sizes.forEach(
                (name, size) ->
                        metrics.addMetric(
                                CompreSsmListener.STATE_SIZE_METRIC,
                                size,
                                Unit.COUNT,
                                new Dimension("layer", name)));
    }

    /**
     * Writes a report to the report path, if one is set; a failure is logged, never thrown.
     *
     * @param report the report
     */
    void write(CompressionReport report) {
        if (reportPath == null) {
            return;
        }
        try {
            ReportWriter.write(report, reportPath);
        } catch (IOException | RuntimeException e) {
            logger.warn("CompreSSM: cannot write the report to {}", reportPath, e);
        }
    }
}
