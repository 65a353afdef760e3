package io.github.compressm.ssm;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A lookup table from integer token ids {@code (batch, time)} to vectors {@code (batch, time,
 * size)}, the encoder of token models (ListOps, character language models).
 */
public class TokenEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int vocabularySize;
    private final int embeddingSize;
    private final Parameter weight;

    /**
     * Creates an embedding table.
     *
     * @param vocabularySize the number of token ids, at least 1
     * @param embeddingSize the vector size, at least 1
     * @throws IllegalArgumentException if a size is below 1
     */
    public TokenEmbedding(int vocabularySize, int embeddingSize) {
        super(VERSION);
        if (vocabularySize < 1 || embeddingSize < 1) {
            throw new IllegalArgumentException(
                    "vocabulary and embedding sizes must be at least 1, got "
                            + vocabularySize
                            + " and "
                            + embeddingSize);
        }
        this.vocabularySize = vocabularySize;
        this.embeddingSize = embeddingSize;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("embedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(vocabularySize, embeddingSize))
                                .build());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray tokens = inputs.singletonOrThrow();
        if (tokens.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "TokenEmbedding expects token ids of shape (batch, time), got "
                            + tokens.getShape());
        }
        NDArray table = parameterStore.getValue(weight, tokens.getDevice(), training);
        return Embedding.embedding(tokens, table, SparseFormat.DENSE);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(embeddingSize)};
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeInt(vocabularySize);
        os.writeInt(embeddingSize);
        saveInputShapes(os);
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        FormatVersions.require("TokenEmbedding", loadVersion, VERSION);
        int vocabulary = is.readInt();
        int size = is.readInt();
        if (vocabulary != vocabularySize || size != embeddingSize) {
            throw new MalformedModelException(
                    "Saved embedding is "
                            + vocabulary
                            + "x"
                            + size
                            + ", but this block is "
                            + vocabularySize
                            + "x"
                            + embeddingSize);
        }
        readInputShapes(is);
    }
}
