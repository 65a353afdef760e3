package io.github.compressm.listener;

import ai.djl.nn.Block;
import ai.djl.util.Pair;
import io.github.compressm.ssm.SsmBlock;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Finds every {@link SsmBlock} in a block tree.
 *
 * <p>The tree is walked depth first through {@link Block#getChildren()}, so SSM blocks inside
 * sequential blocks, residual layers and user-defined blocks are all found. Each block is named by
 * its path of child names from the root, joined by {@code /} (for example {@code
 * 02SsmResidualBlock/ssm}); a root that is itself an SSM block is named by its class. A block
 * reachable along several paths (shared) is listed once, under the first path.
 */
public final class SsmBlockFinder {

    private SsmBlockFinder() {}

    /**
     * Returns the SSM blocks of a tree, in depth-first order, keyed by path.
     *
     * @param root the root block
     * @return an unmodifiable map from path to block, in depth-first order
     */
    public static Map<String, SsmBlock> find(Block root) {
        Map<String, SsmBlock> found = new LinkedHashMap<>();
        Set<Block> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        visit(root, "", found, seen);
        return Collections.unmodifiableMap(found);
    }

    private static void visit(
            Block block, String path, Map<String, SsmBlock> found, Set<Block> seen) {
        if (!seen.add(block)) {
            return;
        }
        if (block instanceof SsmBlock) {
            String name = path.isEmpty() ? block.getClass().getSimpleName() : path;
            found.put(name, (SsmBlock) block);
        }
        for (Pair<String, Block> child : block.getChildren()) {
            String childPath = path.isEmpty() ? child.getKey() : path + '/' + child.getKey();
            visit(child.getValue(), childPath, found, seen);
        }
    }
}
