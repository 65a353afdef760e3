package io.github.compressm.examples.training;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;

/**
 * The prepared data of a task: training and test sets and the shape of one input batch.
 *
 * @param train the training set, batched and shuffled
 * @param test the held-out set used for validation after each epoch and for the final metric
 * @param inputShape the shape of a model input with a batch dimension of 1, for initialisation
 * @param inputType the data type of model inputs ({@code FLOAT32} for signals, {@code INT64} for
 *     token ids)
 */
public record TaskData(
        RandomAccessDataset train,
        RandomAccessDataset test,
        Shape inputShape,
        DataType inputType) {}
