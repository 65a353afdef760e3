package io.github.compressm.benchmarks;

import io.github.compressm.ssm.Mamba2;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The layers {@link LayerComparison} times against a PyTorch-in-Python peer ({@code --ssm}): the
 * {@link io.github.compressm.ssm.Lru} against {@code lru_torch.py}, which computes the same math,
 * and the {@link Mamba2} block against {@code mamba2_torch.py}'s {@code Mamba2Block}, a block of
 * the same sizes and algorithm whose architecture differs in details ({@link #differences()}): a
 * yardstick of similar work, not identical math.
 */
enum ComparedLayer {
    /** The LRU and {@code lru_torch.py}. */
    LRU("lru", "LRU", "Lru", "lru_torch.py", List.of(16, 32, 64, 256)) {
        @Override
        List<String> peerScans() {
            return List.of("seq", "assoc", "chunk");
        }

        @Override
        int peerChunkLength(int chunkLength) {
            return LRU_PEER_CHUNK;
        }

        @Override
        LayerFixture fixture(int n, int batch, int length, int features, int chunkLength) {
            return new LayerFixture(n, batch, length, features, chunkLength);
        }

        @Override
        String projections() {
            return "`x W_in W_out`, `(B*L, H) x (H, 2N) x (2N, H)`";
        }

        @Override
        List<String> differences() {
            return List.of();
        }

        @Override
        Map<String, Long> peerSizes(LayerFixture fixture, int chunkLength) {
            return Map.of();
        }

        @Override
        String sizes(int features, int chunkLength) {
            return "";
        }
    },

    /** The Mamba-2 block and {@code mamba2_torch.py}'s {@code Mamba2Block}. */
    MAMBA2("mamba2", "Mamba2", "Mamba2", "mamba2_torch.py", List.of(16, 64, 128)) {
        @Override
        List<String> peerScans() {
            return List.of("chunk");
        }

        @Override
        int peerChunkLength(int chunkLength) {
            return chunkLength > 0 ? chunkLength : MAMBA2_PEER_CHUNK;
        }

        @Override
        LayerFixture fixture(int n, int batch, int length, int features, int chunkLength) {
            Mamba2 block =
                    Mamba2.builder()
                            .setStateSize(n)
                            .optExpansion(MAMBA2_EXPANSION)
                            .optHeadDimension(MAMBA2_HEAD_DIMENSION)
                            .optConvolutionKernel(MAMBA2_KERNEL)
                            .optChunkLength(peerChunkLength(chunkLength))
                            .build();
            long inner = (long) MAMBA2_EXPANSION * features;
            return LayerFixture.ofBlockProjections(
                    block, batch, length, features, mamba2PeerInProjWidth(n, features), inner);
        }

        @Override
        String projections() {
            return "`u W_in` and `v W_out`, `(B*L, H) x (H, 2d + 2N + heads)` (the peer's"
                    + " in_proj) and `(B*L, d) x (d, H)` (out_proj), d the inner width";
        }

        @Override
        List<String> differences() {
            return List.of(
                    "B and C: ours maps them from the convolved, SiLU-activated inner channels"
                            + " (two (B*L, d) x (d, N) products, as in Mamba-1); the peer projects"
                            + " them from the input inside in_proj (width 2d + 2N + heads against"
                            + " ours 2d + heads), without convolution",
                    "norm: ours a gated RMS norm (y * silu(z) over its root mean square, the"
                            + " weight folded into out_proj); the peer a LayerNorm of y * silu(z)"
                            + " (mean and variance, weight and bias)",
                    "biases: the peer's in_proj and out_proj have biases (nn.Linear), ours none",
                    "scan: both the chunked SSD algorithm with the same chunk length; across"
                            + " chunks ours loops over the chunks, the peer multiplies by one"
                            + " (chunks + 1)^2 decay matrix per head",
                    "convolution: both causal, depthwise, kernel 4 with bias; ours prepends k - 1"
                            + " zero steps, the peer pads both ends and cuts",
                    "initial values: each side's own rule (the times do not depend on them)");
        }

        @Override
        Map<String, Long> peerSizes(LayerFixture fixture, int chunkLength) {
            Mamba2 m = (Mamba2) fixture.layer();
            return Map.of(
                    "inner",
                    m.getInnerWidth(),
                    "heads",
                    m.getHeads(),
                    "head_dim",
                    (long) m.getHeadDimension(),
                    "chunk",
                    (long) chunkLength);
        }

        @Override
        String sizes(int features, int chunkLength) {
            int inner = MAMBA2_EXPANSION * features;
            return String.format(
                    Locale.ROOT,
                    ", inner width d = %d, %d head(s) of dimension %d, kernel %d, chunks of %d steps"
                            + " on both sides",
                    inner,
                    inner / MAMBA2_HEAD_DIMENSION,
                    MAMBA2_HEAD_DIMENSION,
                    MAMBA2_KERNEL,
                    chunkLength);
        }
    };

    /** The chunk of {@code lru_torch.py}'s chunk scan, fixed in the peer. */
    static final int LRU_PEER_CHUNK = 28;

    /** {@code mamba2_torch.py}'s defaults, which our block is built with. */
    static final int MAMBA2_EXPANSION = 2;

    static final int MAMBA2_HEAD_DIMENSION = 16;
    static final int MAMBA2_KERNEL = 4;
    static final int MAMBA2_PEER_CHUNK = 56;

    private final String option;
    private final String label;
    private final String className;
    private final String peerFile;
    private final List<Integer> defaultStateSizes;

    ComparedLayer(
            String option,
            String label,
            String className,
            String peerFile,
            List<Integer> defaultStateSizes) {
        this.option = option;
        this.label = label;
        this.className = className;
        this.peerFile = peerFile;
        this.defaultStateSizes = defaultStateSizes;
    }

    /**
     * The layer of an {@code --ssm} value.
     *
     * @param option {@code lru} or {@code mamba2}, in any case
     * @return the layer
     * @throws IllegalArgumentException if there is no such layer
     */
    static ComparedLayer of(String option) {
        for (ComparedLayer layer : values()) {
            if (layer.option.equalsIgnoreCase(option)) {
                return layer;
            }
        }
        throw new IllegalArgumentException("unknown --ssm: " + option + " (lru or mamba2)");
    }

    /** The {@code --ssm} value and the driver's model name: {@code lru} or {@code mamba2}. */
    String option() {
        return option;
    }

    /** The layer's name in the tables and ratio names: {@code LRU} or {@code Mamba2}. */
    String label() {
        return label;
    }

    /** Our block's class name. */
    String className() {
        return className;
    }

    /** The peer script's default path, beside this project. */
    Path defaultPeerScript() {
        return Path.of("../shared/peers", peerFile);
    }

    /** The state sizes compared by default. */
    List<Integer> defaultStateSizes() {
        return defaultStateSizes;
    }

    /** The peer's scans that may be timed. */
    abstract List<String> peerScans();

    /**
     * The peer's chunk length, which the peer's chunk scan needs to divide the length.
     *
     * @param chunkLength {@code --chunk-length}, 0 for automatic
     * @return the peer's chunk length
     */
    abstract int peerChunkLength(int chunkLength);

    /**
     * Builds our layer, its input and its projections.
     *
     * @param n the state size
     * @param batch sequences per batch
     * @param length steps per sequence
     * @param features features
     * @param chunkLength {@code --chunk-length}, 0 for automatic
     * @return the fixture
     */
    abstract LayerFixture fixture(int n, int batch, int length, int features, int chunkLength);

    /** The projections' matrix products, for the tables. */
    abstract String projections();

    /** Where our block and the peer's differ in architecture; empty if they compute the same. */
    abstract List<String> differences();

    /**
     * The width of {@code mamba2_torch.py}'s {@code in_proj}: {@code x}, {@code z}, {@code B},
     * {@code C} and the time steps.
     *
     * @param n the state size
     * @param features features
     * @return {@code 2d + 2N + heads}
     */
    static long mamba2PeerInProjWidth(int n, int features) {
        long inner = (long) MAMBA2_EXPANSION * features;
        return 2 * inner + 2L * n + inner / MAMBA2_HEAD_DIMENSION;
    }

    /**
     * Checks the peer's block against ours: the sizes the peer's setup answered ({@code inner},
     * {@code heads}, {@code head_dim}, {@code chunk}; a peer that answers none, the LRU's, passes).
     *
     * @param peer the peer's answer, key by key
     * @param ours our block's sizes under the same keys
     * @throws IllegalStateException if a size differs
     */
    static void requireSameSizes(Map<String, String> peer, Map<String, Long> ours) {
        for (Map.Entry<String, Long> e : ours.entrySet()) {
            String theirs = peer.get(e.getKey());
            if (theirs != null && Long.parseLong(theirs) != e.getValue()) {
                throw new IllegalStateException(
                        String.format(
                                Locale.ROOT,
                                "the peer's block has %s = %s, ours %d: the two are not the same"
                                        + " size",
                                e.getKey(),
                                theirs,
                                e.getValue()));
            }
        }
    }

    /**
     * The sizes of our block that the peer's setup answer names.
     *
     * @param fixture our layer, built by {@link #fixture}
     * @param chunkLength the chunk length both sides use
     * @return the sizes by the peer's keys; empty for the LRU
     */
    abstract Map<String, Long> peerSizes(LayerFixture fixture, int chunkLength);

    /**
     * Our block's sizes beyond batch, length and features, for the setup sentence of the tables.
     *
     * @param features features
     * @param chunkLength the chunk length both sides use
     * @return a clause starting with a comma; empty for the LRU
     */
    abstract String sizes(int features, int chunkLength);

    /**
     * The name of the default JSON file's command part: {@code compare} for the LRU, {@code
     * compare-mamba2} for the Mamba-2 block.
     *
     * @return the name
     */
    String jsonName() {
        return this == LRU ? "compare" : "compare-" + option;
    }
}
