package io.github.compressm.examples.training;

import io.github.compressm.listener.CompressionSettings;
import io.github.compressm.ssm.SsmModels;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings of one training run, shared by every example task: the model, the training, the
 * compression and where the results go. Built with {@link #builder()}, whose defaults are those of
 * the command line's shared flags; the compression part is the listener's own {@link
 * CompressionSettings}, so a listener option reaches the run without passing through this class.
 *
 * @param model the model's shape
 * @param training the optimisation, data and seed
 * @param compression whether in-training compression is on ({@code false} is the baseline)
 * @param compressionSettings how the listener compresses; its warm-up fraction also shapes the
 *     {@link LearningRateSchedule#WARMUP_COSINE} schedule, so it is set with compression off too
 * @param outputs where the results are written
 */
public record RunConfig(
        ModelSettings model,
        TrainingSettings training,
        boolean compression,
        CompressionSettings compressionSettings,
        Outputs outputs) {

    /**
     * Creates the settings, rejecting missing parts.
     *
     * @param model the model's shape
     * @param training the optimisation, data and seed
     * @param compression whether in-training compression is on
     * @param compressionSettings how the listener compresses
     * @param outputs where the results are written
     * @throws NullPointerException if a part is null
     */
    public RunConfig {
        Objects.requireNonNull(model, "model settings");
        Objects.requireNonNull(training, "training settings");
        Objects.requireNonNull(compressionSettings, "compression settings");
        Objects.requireNonNull(outputs, "outputs");
    }

    /**
     * Creates a builder with the defaults of the command line's shared flags.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The model's shape.
     *
     * @param ssm the SSM layer the model is built from
     * @param stateSize the initial (complex) state size of every SSM layer
     * @param hiddenSize the feature size of the residual layers
     * @param layers the number of residual SSM layers
     * @param dropout the dropout rate of the residual layers
     */
    public record ModelSettings(
            SsmFamily ssm, int stateSize, int hiddenSize, int layers, float dropout) {

        /**
         * Starts the builder of a residual SSM model of this shape: the hidden and state sizes, the
         * layers of {@link #ssm()}, their number and their dropout are set.
         *
         * @param outputs the number of outputs of the head
         * @return the builder, to which a task adds its encoder and picks the model kind
         */
        public SsmModels.Builder modelBuilder(int outputs) {
            return SsmModels.builder()
                    .setHiddenSize(hiddenSize)
                    .setStateSize(stateSize)
                    .optSsmFactory(i -> ssm.build(stateSize))
                    .setOutputs(outputs)
                    .optLayers(layers)
                    .optDropout(dropout);
        }
    }

    /**
     * The optimisation, the data and the seed.
     *
     * @param epochs the number of training epochs
     * @param batchSize the mini-batch size
     * @param learningRate the (peak) learning rate of the optimizer
     * @param learningRateSchedule how the learning rate changes over the run
     * @param weightDecay the decoupled weight decay of AdamW; 0 selects plain Adam
     * @param seed the seed of data generation, initialisation and shuffling
     * @param limit the largest number of training examples to use, 0 for all
     */
    public record TrainingSettings(
            int epochs,
            int batchSize,
            float learningRate,
            LearningRateSchedule learningRateSchedule,
            float weightDecay,
            long seed,
            int limit) {}

    /**
     * Where the results of a run go; each one is optional.
     *
     * @param reportPath where to write the JSON report, or {@code null}
     * @param plotDir where to write PNG plots, or {@code null}
     * @param saveModelDir where to save the trained model for serving, or {@code null}
     */
    public record Outputs(Path reportPath, Path plotDir, Path saveModelDir) {}

    /**
     * The builder of {@link RunConfig}. Every setting is optional; the defaults are those of the
     * command line's shared flags: an LRU model of one layer with state size 64 and 32 features, 5
     * epochs of batches of 32 at the fixed learning rate 0.002 with Adam, seed 42, all examples,
     * compression on with the listener's default settings, no outputs.
     */
    public static final class Builder {

        private SsmFamily ssm = SsmFamily.LRU;
        private int stateSize = 64;
        private int hiddenSize = 32;
        private int layers = 1;
        private float dropout;
        private int epochs = 5;
        private int batchSize = 32;
        private float learningRate = 0.002f;
        private LearningRateSchedule learningRateSchedule = LearningRateSchedule.FIXED;
        private float weightDecay;
        private long seed = 42;
        private int limit;
        private boolean compression = true;
        private CompressionSettings compressionSettings = CompressionSettings.defaults();
        private Path reportPath;
        private Path plotDir;
        private Path saveModelDir;

        Builder() {}

        /**
         * Sets the SSM layer the model is built from (default {@link SsmFamily#LRU}).
         *
         * @param ssm the family
         * @return this builder
         */
        public Builder optSsm(SsmFamily ssm) {
            this.ssm = ssm;
            return this;
        }

        /**
         * Sets the initial state size of every SSM layer (default 64).
         *
         * @param stateSize the state size, positive
         * @return this builder
         */
        public Builder optStateSize(int stateSize) {
            this.stateSize = stateSize;
            return this;
        }

        /**
         * Sets the feature size of the residual layers (default 32).
         *
         * @param hiddenSize the features, positive
         * @return this builder
         */
        public Builder optHiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        /**
         * Sets the number of residual SSM layers (default 1).
         *
         * @param layers the layers, positive
         * @return this builder
         */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /**
         * Sets the dropout rate of the residual layers (default 0).
         *
         * @param dropout the rate, in [0, 1)
         * @return this builder
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Sets the number of training epochs (default 5).
         *
         * @param epochs the epochs, positive
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the mini-batch size (default 32).
         *
         * @param batchSize the batch size, positive
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the (peak) learning rate (default 0.002).
         *
         * @param learningRate the rate, positive
         * @return this builder
         */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets how the learning rate changes over the run (default {@link
         * LearningRateSchedule#FIXED}).
         *
         * @param schedule the schedule
         * @return this builder
         */
        public Builder optLearningRateSchedule(LearningRateSchedule schedule) {
            this.learningRateSchedule = schedule;
            return this;
        }

        /**
         * Sets the decoupled weight decay of AdamW (default 0: plain Adam).
         *
         * @param weightDecay the decay, at least 0
         * @return this builder
         */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Sets the seed of data generation, initialisation and shuffling (default 42). The seed of
         * the listener's random selection is part of the compression settings.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the largest number of training examples to use (default 0: all).
         *
         * @param limit the limit, at least 0
         * @return this builder
         */
        public Builder optLimit(int limit) {
            this.limit = limit;
            return this;
        }

        /**
         * Sets how the listener compresses (default {@link CompressionSettings#defaults()}). With
         * compression off they still give the warm-up fraction of the learning rate schedule and
         * are recorded in the report.
         *
         * @param settings the compression settings
         * @return this builder
         */
        public Builder optCompressionSettings(CompressionSettings settings) {
            this.compressionSettings = settings;
            return this;
        }

        /**
         * Turns in-training compression on or off (default on; off trains the baseline).
         *
         * @param compression true to compress
         * @return this builder
         */
        public Builder optCompression(boolean compression) {
            this.compression = compression;
            return this;
        }

        /**
         * Writes the JSON report to this file (default: no report).
         *
         * @param reportPath the file
         * @return this builder
         */
        public Builder optReportPath(Path reportPath) {
            this.reportPath = reportPath;
            return this;
        }

        /**
         * Writes the PNG plots into this directory (default: no plots).
         *
         * @param plotDir the directory
         * @return this builder
         */
        public Builder optPlotDir(Path plotDir) {
            this.plotDir = plotDir;
            return this;
        }

        /**
         * Saves the trained model for serving into this directory (default: not saved).
         *
         * @param saveModelDir the directory
         * @return this builder
         */
        public Builder optSaveModelDir(Path saveModelDir) {
            this.saveModelDir = saveModelDir;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException if a setting is missing or out of range
         */
        public RunConfig build() {
            require(ssm != null, "the SSM family must not be null");
            require(learningRateSchedule != null, "the learning rate schedule must not be null");
            require(compressionSettings != null, "the compression settings must not be null");
            require(stateSize >= 1, "state size must be at least 1, got " + stateSize);
            require(hiddenSize >= 1, "hidden size must be at least 1, got " + hiddenSize);
            require(layers >= 1, "layers must be at least 1, got " + layers);
            require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
            require(epochs >= 1, "epochs must be at least 1, got " + epochs);
            require(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
            require(
                    learningRate > 0 && Float.isFinite(learningRate),
                    "learning rate must be > 0, got " + learningRate);
            require(
                    weightDecay >= 0 && Float.isFinite(weightDecay),
                    "weight decay must be >= 0, got " + weightDecay);
            require(limit >= 0, "limit must be >= 0 (0: all), got " + limit);
            return new RunConfig(
                    new ModelSettings(ssm, stateSize, hiddenSize, layers, dropout),
                    new TrainingSettings(
                            epochs,
                            batchSize,
                            learningRate,
                            learningRateSchedule,
                            weightDecay,
                            seed,
                            limit),
                    compression,
                    compressionSettings,
                    new Outputs(reportPath, plotDir, saveModelDir));
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
