package io.github.compressm.examples.training;

import io.github.compressm.control.GramianWeighting;
import java.nio.file.Path;

/**
 * The settings of one training run, shared by every example task.
 *
 * @param stateSize the initial (complex) state size of every SSM layer
 * @param hiddenSize the feature size of the residual layers
 * @param layers the number of residual SSM layers
 * @param epochs the number of training epochs
 * @param batchSize the mini-batch size
 * @param learningRate the (peak) learning rate of the optimizer
 * @param schedule how the learning rate changes over the run
 * @param weightDecay the decoupled weight decay of AdamW; 0 selects plain Adam
 * @param dropout the dropout rate of the residual layers
 * @param tolerance CompreSSM's tau: the fraction of Hankel energy a reduction may discard
 * @param warmupFraction the fraction of all training steps in which reductions may happen
 * @param extraChecks the most checks added past the window while the layers still shrink
 * @param weighting how the Gramians weigh the layers' input and output directions
 * @param inputWeightFloor the floor under the input weight of data-aware Gramians, a fraction of
 *     the input moment's mean eigenvalue
 * @param compression whether in-training compression is on ({@code false} is the baseline)
 * @param seed the seed of data generation, initialisation and shuffling
 * @param limit the largest number of training examples to use, 0 for all
 * @param reportPath where to write the JSON report, or {@code null}
 * @param plotDir where to write PNG plots, or {@code null}
 * @param saveModelDir where to save the trained model for serving, or {@code null}
 * @param ssm the SSM layer the models are built from
 */
public record RunConfig(
        int stateSize,
        int hiddenSize,
        int layers,
        int epochs,
        int batchSize,
        float learningRate,
        LearningRateSchedule schedule,
        float weightDecay,
        float dropout,
        double tolerance,
        double warmupFraction,
        int extraChecks,
        GramianWeighting weighting,
        double inputWeightFloor,
        boolean compression,
        long seed,
        int limit,
        Path reportPath,
        Path plotDir,
        Path saveModelDir,
        SsmFamily ssm) {}
