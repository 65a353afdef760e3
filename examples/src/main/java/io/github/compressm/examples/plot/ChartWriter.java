package io.github.compressm.examples.plot;

import io.github.compressm.control.GramianWeighting;
import io.github.compressm.examples.report.RunReport;
import io.github.compressm.examples.training.MetricsRecorder.EpochRecord;
import io.github.compressm.examples.training.MetricsRecorder.StateSizeRecord;
import io.github.compressm.listener.CompressionReport.Check;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the PNG plots of a {@link RunReport} with JFreeChart, headless: the HSV spectrum of each
 * layer at each check with the cut marked ({@code hsv-layer<i>.png}), the state size of every layer
 * over training ({@code state-sizes.png}), the peak resident memory of every training step with the
 * reductions marked ({@code memory.png}), the loss curves ({@code loss.png}) and, for classifiers,
 * the accuracy curves ({@code accuracy.png}).
 */
public final class ChartWriter {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final BasicStroke DASHED =
            new BasicStroke(
                    1.5f,
                    BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER,
                    10f,
                    new float[] {6f, 4f},
                    0f);

    private static final BasicStroke DOTTED =
            new BasicStroke(
                    1.5f,
                    BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND,
                    10f,
                    new float[] {2f, 4f},
                    0f);

    private ChartWriter() {}

    /**
     * Writes every plot the report has data for.
     *
     * @param report the run report
     * @param dir the output directory (created if missing)
     * @return the files written
     * @throws IOException if a file cannot be written
     */
    public static List<Path> writeAll(RunReport report, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Map<Integer, List<Check>> byLayer = new TreeMap<>();
        for (Check c : report.checks()) {
            byLayer.computeIfAbsent(report.layerIndex(c), k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<Integer, List<Check>> e : byLayer.entrySet()) {
            written.add(
                    save(
                            hsvChart(report.task(), e.getKey(), e.getValue()),
                            dir.resolve("hsv-layer" + e.getKey() + ".png")));
        }
        if (!report.stateSizeHistory().isEmpty()) {
            written.add(save(stateSizeChart(report), dir.resolve("state-sizes.png")));
        }
        if (report.peakMemory().isPresent()) {
            written.add(save(memoryChart(report), dir.resolve("memory.png")));
        }
        if (!report.epochs().isEmpty()) {
            written.add(
                    save(
                            curveChart(
                                    report,
                                    "loss",
                                    EpochRecord::trainLoss,
                                    EpochRecord::validationLoss),
                            dir.resolve("loss.png")));
            if (report.epochs().get(0).trainAccuracy() != null) {
                written.add(
                        save(
                                curveChart(
                                        report,
                                        "accuracy",
                                        EpochRecord::trainAccuracy,
                                        EpochRecord::validationAccuracy),
                                dir.resolve("accuracy.png")));
            }
        }
        return written;
    }

    /**
     * Plots a layer's Hankel singular values at each check on a log scale, one series per check,
     * with a dashed vertical marker after the rank chosen by that check; for data-weighted checks
     * the layer-local values are drawn dotted beside the weighted ones, and every spectrum relative
     * to its largest value (the weighted values carry the loss gradient's scale). The HSVs are
     * those of the layer's real input-output system, two per complex LRU state, so the rank is in
     * those units.
     *
     * @param task the task name for the title
     * @param layer the layer index
     * @param checks the layer's checks, oldest first
     * @return the chart
     */
    static JFreeChart hsvChart(String task, int layer, List<Check> checks) {
        // Weighted values carry the scale of the loss gradient: with any data-weighted check, every
        // spectrum is drawn relative to its largest value so the two kinds compare.
        boolean relative = checks.stream().anyMatch(ChartWriter::hasLocalSpectrum);
        XYSeriesCollection data = new XYSeriesCollection();
        for (Check c : checks) {
            data.addSeries(
                    hsvSeries(
                            "step "
                                    + c.getStep()
                                    + ": "
                                    + c.getStateSizeBefore()
                                    + " -> "
                                    + c.getStateSizeAfter()
                                    + " states (rank "
                                    + c.getKeptOrder()
                                    + " of "
                                    + c.getHankelSingularValues().length
                                    + (c.getWeighting() == GramianWeighting.DATA
                                            ? ", data-weighted"
                                            : "")
                                    + ")",
                            c.getHankelSingularValues(),
                            relative));
        }
        // Data-weighted checks: the layer-local spectrum beside the weighted one, dotted, in the
        // same colour.
        Map<Integer, Integer> localOf = new LinkedHashMap<>();
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            if (hasLocalSpectrum(c)) {
                localOf.put(data.getSeriesCount(), i);
                data.addSeries(
                        hsvSeries(
                                "step " + c.getStep() + ": layer-local",
                                c.getLocalHankelSingularValues(),
                                true));
            }
        }
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        task + ": Hankel singular values, layer " + layer + " (dashed: cut)",
                        "index (largest first; two per complex LRU state)",
                        "Hankel singular value",
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        XYPlot plot = chart.getXYPlot();
        LogAxis logAxis =
                new LogAxis(
                        relative
                                ? "Hankel singular value / largest (log)"
                                : "Hankel singular value (log)");
        logAxis.setSmallestValue(1e-12);
        plot.setRangeAxis(logAxis);
        XYItemRenderer renderer = plot.getRenderer();
        for (int i = 0; i < checks.size(); i++) {
            Paint paint = renderer.getItemPaint(i, 0);
            Check c = checks.get(i);
            if (c.getKeptOrder() <= 0) {
                continue;
            }
            ValueMarker cut = new ValueMarker(c.getKeptOrder() + 0.5);
            cut.setPaint(paint);
            cut.setStroke(DASHED);
            plot.addDomainMarker(cut);
        }
        localOf.forEach(
                (series, check) -> {
                    renderer.setSeriesStroke(series, DOTTED);
                    renderer.setSeriesPaint(series, renderer.getItemPaint(check, 0));
                });
        plot.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static boolean hasLocalSpectrum(Check c) {
        return c.getLocalHankelSingularValues().length > 0;
    }

    private static XYSeries hsvSeries(String name, double[] hsv, boolean relative) {
        XYSeries s = new XYSeries(name);
        double scale = relative && hsv.length > 0 && hsv[0] > 0 ? hsv[0] : 1;
        for (int i = 0; i < hsv.length; i++) {
            if (hsv[i] > 0 && Double.isFinite(hsv[i])) {
                s.add(i + 1, hsv[i] / scale);
            }
        }
        return s;
    }

    /**
     * Plots the state size of every layer against the training step.
     *
     * @param report the run report
     * @return the chart
     */
    static JFreeChart stateSizeChart(RunReport report) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<StateSizeRecord> history = report.stateSizeHistory();
        int layers = history.get(0).sizes().size();
        for (int l = 0; l < layers; l++) {
            XYSeries s = new XYSeries("layer " + l);
            for (StateSizeRecord r : history) {
                s.add(r.step(), r.sizes().get(l));
            }
            s.add(Math.max(report.steps(), 1), report.finalStateSizes().get(l));
            data.addSeries(s);
        }
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        report.task() + ": state size over training",
                        "training step",
                        "state size",
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        chart.getXYPlot().setRenderer(new XYStepRenderer());
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * Plots the peak resident memory of every training step, with a dashed vertical marker at each
     * reduction.
     *
     * @param report the run report
     * @return the chart
     */
    static JFreeChart memoryChart(RunReport report) {
        XYSeries s = new XYSeries("peak resident memory of the step");
        List<Double> peaks = report.peakResidentMegabytes();
        for (int i = 0; i < peaks.size(); i++) {
            s.add(i + 1, peaks.get(i));
        }
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        report.task() + ": peak resident memory per step (dashed: reductions)",
                        "training step",
                        "MB (process RSS: native tensors and the Java heap)",
                        new XYSeriesCollection(s),
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        XYPlot plot = chart.getXYPlot();
        for (RunReport.Reduction r : report.reductions()) {
            ValueMarker marker = new ValueMarker(r.step());
            marker.setPaint(Color.GRAY);
            marker.setStroke(DASHED);
            plot.addDomainMarker(marker);
        }
        plot.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * Plots a per-epoch training and validation curve.
     *
     * @param report the run report
     * @param what the quantity's name
     * @param train the training value of an epoch
     * @param validation the validation value of an epoch
     * @return the chart
     */
    static JFreeChart curveChart(
            RunReport report,
            String what,
            Function<EpochRecord, Double> train,
            Function<EpochRecord, Double> validation) {
        XYSeries t = new XYSeries("train " + what);
        XYSeries v = new XYSeries("validation " + what);
        for (EpochRecord e : report.epochs()) {
            if (train.apply(e) != null) {
                t.add(e.epoch(), train.apply(e));
            }
            if (validation.apply(e) != null) {
                v.add(e.epoch(), validation.apply(e));
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(t);
        data.addSeries(v);
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        report.task() + ": " + what + " per epoch",
                        "epoch",
                        what,
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static Path save(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }
}
