package io.github.compressm.ssm.generation;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a sequential model over a sequence in parts, for inference: every child block that returns
 * states after its output (a layer whose SSM is built with {@code optReturnState(true)}: one state
 * for an {@code Lru}, two for a {@code Mamba2}) gets those states back after its next input, so
 * each call continues the sequence where the last one stopped, at a cost that depends on the part's
 * length only. The children run one at a time because a {@code SequentialBlock}'s own forward would
 * hand one layer's state to the next layer.
 */
final class StepwiseRunner {

    private final List<Block> blocks;
    private final NDManager manager;
    private final ParameterStore parameterStore;
    private final NDList[] states;

    /**
     * Creates a runner at the start of a sequence (zero states).
     *
     * @param model the model, whose children run in order
     * @param manager holds the states between calls
     */
    StepwiseRunner(SequentialBlock model, NDManager manager) {
        this.blocks = new ArrayList<>(model.getChildren().values());
        this.manager = manager;
        this.parameterStore = new ParameterStore(manager, false);
        this.states = new NDList[blocks.size()];
    }

    /**
     * Runs the model on the next part of the sequence.
     *
     * @param input the part, batch first and time second
     * @return the model's output for the part
     */
    NDArray forward(NDArray input) {
        NDList current = new NDList(input);
        for (int i = 0; i < blocks.size(); i++) {
            NDList inputs = new NDList(current.head());
            if (states[i] != null) {
                inputs.addAll(states[i]);
            }
            NDList outputs = blocks.get(i).forward(parameterStore, inputs, false);
            if (outputs.size() > 1) {
                keep(i, outputs.subNDList(1));
                current = new NDList(outputs.head());
            } else {
                current = outputs;
            }
        }
        return current.singletonOrThrow();
    }

    /**
     * Loads the parameters of a trained block into another block built the same way (for example
     * with layers that return their states), on {@code manager}. The saved sizes win, so a block
     * compressed in training loads into a freshly built one.
     *
     * @param trained the trained block
     * @param copy the block to load into
     * @param manager the manager of the copied parameters
     */
    static void copyParameters(Block trained, Block copy, NDManager manager) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            trained.saveParameters(new DataOutputStream(bytes));
            copy.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("the model copy does not match the trained model", e);
        }
    }

    /** Keeps a layer's new states beyond the caller's arrays and frees its previous ones. */
    private void keep(int layer, NDList state) {
        NDList previous = states[layer];
        state.attach(manager);
        states[layer] = state;
        if (previous != null) {
            previous.close();
        }
    }
}
