package io.github.compressm.examples.training;

import ai.djl.nn.Block;
import io.github.compressm.listener.SsmBlockFinder;
import io.github.compressm.ssm.SsmBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the compressible SSM layers of a model and reads their state sizes, in the listener's
 * depth-first order ({@link SsmBlockFinder}), which is also the layer numbering of reports.
 */
public final class SsmLayers {

    private SsmLayers() {}

    /**
     * Returns every {@link SsmBlock} in the block tree, depth first in child order.
     *
     * @param root the model's root block
     * @return the SSM layers, possibly empty
     */
    public static List<SsmBlock> find(Block root) {
        return new ArrayList<>(SsmBlockFinder.find(root).values());
    }

    /**
     * Returns the path of every SSM layer in the block tree, in {@link #find} order.
     *
     * @param root the model's root block
     * @return the layer paths
     */
    public static List<String> paths(Block root) {
        return new ArrayList<>(SsmBlockFinder.find(root).keySet());
    }

    /**
     * Returns the current state size of each SSM layer, in {@link #find} order.
     *
     * @param root the model's root block
     * @return the state sizes
     */
    public static List<Integer> stateSizes(Block root) {
        List<Integer> sizes = new ArrayList<>();
        for (SsmBlock layer : find(root)) {
            sizes.add(layer.getStateSize());
        }
        return sizes;
    }
}
