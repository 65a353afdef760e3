package io.github.compressm.examples.training;

import ai.djl.nn.Block;
import ai.djl.training.listener.TrainingListener;
import io.github.compressm.examples.report.RunReport;
import io.github.compressm.listener.CompreSsmListener;
import io.github.compressm.listener.CompressionReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one place where the examples create the {@link CompreSsmListener} and translate its {@link
 * CompressionReport} into the examples' report.
 */
public final class CompressionPlugins {

    private CompressionPlugins() {}

    /**
     * Creates the compression listener for a run: total epochs, tolerance (tau) and warm-up
     * fraction from the settings, the listener's defaults otherwise (4 checks in the window, 5%
     * gate, largest HSVs kept).
     *
     * @param config the run settings
     * @param model the model's root block, to number layers as {@link SsmLayers#find} does
     * @return the plugin
     */
    public static CompressionPlugin create(RunConfig config, Block model) {
        CompreSsmListener listener =
                CompreSsmListener.builder()
                        .setTotalEpochs(config.epochs())
                        .optTolerance(config.tolerance())
                        .optWarmupFraction(config.warmupFraction())
                        .optExtraChecks(config.extraChecks())
                        .optGramianWeighting(config.weighting())
                        .optInputWeightFloor(config.inputWeightFloor())
                        .optSeed(config.seed())
                        .build();
        return new CompressionPlugin() {
            /** {@inheritDoc} */
            @Override
            public TrainingListener listener() {
                return listener;
            }

            /** {@inheritDoc} */
            @Override
            public List<RunReport.Check> checks() {
                return translate(listener.getReport(), SsmLayers.paths(model));
            }

            /** {@inheritDoc} */
            @Override
            public double seconds() {
                CompressionReport report = listener.getReport();
                double checkMillis =
                        report.getChecks().stream()
                                .mapToDouble(CompressionReport.Check::getMilliseconds)
                                .sum();
                return (checkMillis + report.getSignalRecordingMillis()) / 1e3;
            }

            /** Fixed on the first training batch; read once, not per step. */
            private long[] checkSteps = new long[0];

            /** {@inheritDoc} */
            @Override
            public boolean isCheckStep(long step) {
                if (checkSteps.length == 0) {
                    checkSteps = listener.getReport().getCheckSteps();
                }
                return Arrays.binarySearch(checkSteps, step) >= 0;
            }
        };
    }

    /**
     * Translates the listener's checks into report checks, numbering layers by their position.
     *
     * @param report the listener's report
     * @param layerPaths the layer paths in model order
     * @return the checks, oldest first
     */
    static List<RunReport.Check> translate(CompressionReport report, List<String> layerPaths) {
        List<RunReport.Check> out = new ArrayList<>();
        for (CompressionReport.Check c : report.getChecks()) {
            Double energy = c.getEnergyKept();
            out.add(
                    new RunReport.Check(
                            c.getStep(),
                            layerPaths.indexOf(c.getLayer()),
                            c.getLayer(),
                            c.getOutcome().name(),
                            c.getHankelSingularValues(),
                            c.getStateSizeBefore(),
                            c.getKeptOrder(),
                            c.getStateSizeAfter(),
                            energy == null ? Double.NaN : energy,
                            c.getOutcome() == CompressionReport.Outcome.REDUCED,
                            c.getMilliseconds(),
                            c.getWeighting().name(),
                            c.getLocalHankelSingularValues()));
        }
        return out;
    }
}
