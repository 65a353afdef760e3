package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.function.IntFunction;

/**
 * Builds the sequence models of the CompreSSM paper from residual SSM layers.
 *
 * <p>A model is {@code encoder -> layers x SsmResidualBlock -> head}. The encoder is a {@link
 * Linear} map of real-valued inputs {@code (batch, time, inputs)} or a {@link TokenEmbedding} of
 * token ids {@code (batch, time)}. A classifier averages over time before a linear head; a
 * sequence-to-sequence model (language modelling) applies the head at every step. The result is a
 * plain {@link SequentialBlock}, so every SSM layer inside can be found and compressed.
 */
public final class SsmModels {

    private SsmModels() {}

    /**
     * Creates a builder for an LRU sequence model.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of an SSM sequence model: hidden size, layers, state size, encoder, head. */
    public static final class Builder {

        private int hiddenSize;
        private int stateSize;
        private int outputs;
        private int layers = 1;
        private float dropout = 0.1f;
        private int vocabularySize;
        private IntFunction<Block> ssmFactory;

        Builder() {}

        /**
         * Sets the feature size of every residual layer (required).
         *
         * @param hiddenSize the hidden size, at least 1
         * @return this builder
         */
        public Builder setHiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        /**
         * Sets the state size of each LRU layer (required unless {@link #optSsmFactory} is set).
         *
         * @param stateSize the state size, at least 1
         * @return this builder
         */
        public Builder setStateSize(int stateSize) {
            this.stateSize = stateSize;
            return this;
        }

        /**
         * Sets the number of outputs of the head: classes, or the vocabulary of a language model
         * (required).
         *
         * @param outputs the output size, at least 1
         * @return this builder
         */
        public Builder setOutputs(int outputs) {
            this.outputs = outputs;
            return this;
        }

        /**
         * Sets the number of residual SSM layers (default 1).
         *
         * @param layers the number of layers, at least 1
         * @return this builder
         */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /**
         * Sets the dropout rate of the residual layers (default 0.1).
         *
         * @param dropout the rate, in [0, 1)
         * @return this builder
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Uses a token embedding encoder for integer inputs {@code (batch, time)} instead of a
         * linear encoder of real inputs.
         *
         * @param vocabularySize the number of token ids
         * @return this builder
         */
        public Builder optTokenVocabulary(int vocabularySize) {
            this.vocabularySize = vocabularySize;
            return this;
        }

        /**
         * Uses another SSM block than {@link Lru} in every layer, for example {@code i ->
         * S5.builder().setStateSize(64).build()} or {@code i ->
         * Mamba2.builder().setStateSize(64).build()}.
         *
         * @param ssmFactory creates the SSM block of layer {@code i}
         * @return this builder
         */
        public Builder optSsmFactory(IntFunction<Block> ssmFactory) {
            this.ssmFactory = ssmFactory;
            return this;
        }

        /**
         * Builds a classifier: encoder, layers, mean over time, linear head; output {@code (batch,
         * outputs)}.
         *
         * @return the model block
         */
        public SequentialBlock buildClassifier() {
            SequentialBlock model = body();
            model.add(LambdaBlock.singleton(SsmModels::meanOverTime, "mean_over_time"));
            model.add(Linear.builder().setUnits(outputs).build());
            return model;
        }

        /**
         * Builds a sequence-to-sequence model: encoder, layers, linear head at every step; output
         * {@code (batch, time, outputs)}.
         *
         * @return the model block
         */
        public SequentialBlock buildSequenceToSequence() {
            SequentialBlock model = body();
            model.add(Linear.builder().setUnits(outputs).build());
            return model;
        }

        private SequentialBlock body() {
            validate();
            SequentialBlock model = new SequentialBlock();
            if (vocabularySize > 0) {
                model.add(new TokenEmbedding(vocabularySize, hiddenSize));
            } else {
                model.add(Linear.builder().setUnits(hiddenSize).build());
            }
            for (int i = 0; i < layers; i++) {
                Block ssm =
                        ssmFactory != null
                                ? ssmFactory.apply(i)
                                : Lru.builder().setStateSize(stateSize).build();
                model.add(SsmResidualBlock.builder().setSsm(ssm).optDropout(dropout).build());
            }
            return model;
        }

        private void validate() {
            if (hiddenSize < 1) {
                throw new IllegalArgumentException(
                        "hidden size must be at least 1, got " + hiddenSize);
            }
            if (ssmFactory == null && stateSize < 1) {
                throw new IllegalArgumentException(
                        "state size must be at least 1, got " + stateSize);
            }
            if (outputs < 1) {
                throw new IllegalArgumentException(
                        "outputs (classes or vocabulary) must be at least 1, got " + outputs);
            }
            if (layers < 1) {
                throw new IllegalArgumentException("layers must be at least 1, got " + layers);
            }
        }
    }

    private static NDArray meanOverTime(NDArray x) {
        return x.mean(new int[] {1});
    }
}
