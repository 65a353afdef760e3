package io.github.compressm.ssm;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The residual SSM layer of the LRU and CompreSSM papers, on inputs of shape {@code (batch, time,
 * features)}:
 *
 * <pre>
 *   y = x + dropout(GLU(dropout(GELU(ssm(norm(x))))))    GLU(z) = (W1 z) * sigmoid(W2 z)
 * </pre>
 *
 * <p>The SSM is any block that maps {@code (batch, time, features)} to the same shape, typically an
 * {@link Lru}, {@link S5} or {@link Mamba2}; the norm is a layer norm over the features. The output
 * has the input's shape.
 *
 * <p><b>State.</b> The layer passes its SSM's state through, in the SSM's convention: arrays after
 * the input ({@code NDList(x, initialState)}) go to the SSM with the normalised input, and arrays
 * the SSM returns after its output (an {@link Lru} or {@link S5} built with {@link
 * AbstractDiagonalSsm.BaseBuilder#optReturnState(boolean) optReturnState(true)}: its final state; a
 * {@link Mamba2} built with {@link Mamba2.Builder#optReturnState(boolean)}: its two states) follow
 * the layer's output. Every other part of the layer works step by step, so a sequence run in parts
 * with the state carried gives the outputs of the whole sequence. A {@code SequentialBlock} of such
 * layers would hand one layer's state to the next layer: run them one at a time instead.
 */
public class SsmResidualBlock extends AbstractBlock {

    /** The epsilon of the layer norm, DJL's default. */
    public static final float NORM_EPSILON = 1e-5f;

    private static final byte VERSION = 1;

    private final Block norm;
    private final Block ssm;
    private final Block dropout;
    private final Block glu;
    private final float dropoutRate;
    private long features = -1;

    SsmResidualBlock(Builder builder) {
        super(VERSION);
        dropoutRate = builder.dropout;
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).optEpsilon(NORM_EPSILON).build());
        ssm = addChildBlock("ssm", builder.ssm);
        dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
        // Units are set once the feature size is known (see initializeChildBlocks).
        glu = addChildBlock("glu", new GatedLinearUnit());
    }

    /**
     * Creates a builder for a residual SSM layer.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the SSM block inside this layer.
     *
     * @return the SSM block
     */
    public Block getSsm() {
        return ssm;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        if (x.getShape().dimension() != 3 || x.getShape().get(2) != features) {
            throw new IllegalArgumentException(
                    "SsmResidualBlock expects input of shape (batch, time, "
                            + features
                            + "), got "
                            + x.getShape());
        }
        NDList ssmInputs = norm.forward(parameterStore, new NDList(x), training);
        ssmInputs.addAll(inputs.subNDList(1));
        NDList ssmOutputs = ssm.forward(parameterStore, ssmInputs, training);
        NDList z = new NDList(Activation.gelu(ssmOutputs.head()));
        z = dropout.forward(parameterStore, z, training);
        z = glu.forward(parameterStore, z, training);
        z = dropout.forward(parameterStore, z, training);
        NDList outputs = new NDList(x.add(z.singletonOrThrow()));
        outputs.addAll(ssmOutputs.subNDList(1));
        return outputs;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The input's shape, followed by the shapes the SSM returns after its output (a state).
     */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = ssm.getOutputShapes(inputShapes).clone();
        shapes[0] = inputShapes[0];
        return shapes;
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException(
                    "SsmResidualBlock expects input of shape (batch, time, features), got "
                            + shape);
        }
        features = shape.get(2);
        norm.initialize(manager, dataType, shape);
        ssm.initialize(manager, dataType, inputShapes);
        dropout.initialize(manager, dataType, shape);
        glu.initialize(manager, dataType, shape);
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeLong(features);
        saveInputShapes(os);
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        FormatVersions.require("SsmResidualBlock", loadVersion, VERSION);
        features = is.readLong();
        readInputShapes(is);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "SsmResidualBlock(" + ssm + ", dropout=" + dropoutRate + ')';
    }

    /**
     * {@code (W1 z) * sigmoid(W2 z)} over the last axis, with one linear map of twice the width
     * split in two halves.
     */
    static final class GatedLinearUnit extends AbstractBlock {

        private static final byte GLU_VERSION = 1;
        private Block linear;

        GatedLinearUnit() {
            super(GLU_VERSION);
        }

        /** {@inheritDoc} */
        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray both = linear.forward(parameterStore, inputs, training).singletonOrThrow();
            NDList halves = both.split(2, both.getShape().dimension() - 1);
            return new NDList(halves.get(0).mul(Activation.sigmoid(halves.get(1))));
        }

        /** {@inheritDoc} */
        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        /** {@inheritDoc} */
        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            ensureLinear(inputShapes[0].get(inputShapes[0].dimension() - 1));
            linear.initialize(manager, dataType, inputShapes);
        }

        /** {@inheritDoc} */
        @Override
        protected void saveMetadata(DataOutputStream os) throws IOException {
            os.writeLong(inputShapes[0].get(inputShapes[0].dimension() - 1));
            saveInputShapes(os);
        }

        /** {@inheritDoc} */
        @Override
        public void loadMetadata(byte loadVersion, DataInputStream is)
                throws IOException, MalformedModelException {
            FormatVersions.require("GatedLinearUnit", loadVersion, GLU_VERSION);
            ensureLinear(is.readLong());
            readInputShapes(is);
        }

        private void ensureLinear(long width) {
            if (linear == null) {
                linear = addChildBlock("linear", Linear.builder().setUnits(2 * width).build());
            }
        }
    }

    /** The builder for {@link SsmResidualBlock}: {@code setSsm} is required. */
    public static final class Builder {

        private Block ssm;
        private float dropout = 0.1f;

        Builder() {}

        /**
         * Sets the SSM block (required), mapping {@code (batch, time, features)} to the same shape.
         *
         * @param ssm the SSM block, for example an {@link Lru} or a {@link Mamba2}
         * @return this builder
         */
        public Builder setSsm(Block ssm) {
            this.ssm = ssm;
            return this;
        }

        /**
         * Sets the dropout rate after the activation and after the GLU (default 0.1).
         *
         * @param dropout the rate, in [0, 1)
         * @return this builder
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return a new {@link SsmResidualBlock}
         * @throws IllegalArgumentException if the SSM is missing or the dropout rate is out of
         *     range
         */
        public SsmResidualBlock build() {
            if (ssm == null) {
                throw new IllegalArgumentException(
                        "SsmResidualBlock needs an SSM block: call setSsm(Lru.builder()...build())");
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
            return new SsmResidualBlock(this);
        }
    }
}
