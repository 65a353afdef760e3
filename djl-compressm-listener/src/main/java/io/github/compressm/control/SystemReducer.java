package io.github.compressm.control;

import io.github.compressm.control.linalg.Spectrum;
import io.github.compressm.ssm.DiagonalRealization;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the control-theory core, and the one seam between a training listener and the
 * math: Hankel singular values of a layer ({@link #analyse}) and its reduction to a smaller
 * diagonal realisation ({@link #reduce(HankelAnalysis, int, SelectionMode, Random)}). Which order
 * to keep is decided by a {@link TruncationRule}.
 *
 * <pre>{@code
 * SystemReducer reducer = new SystemReducer(); // REAL_OUTPUT, |lambda| <= 1 - 1e-6
 * TruncationRule rule = TruncationRule.builder().optTolerance(0.02).build();
 * HankelAnalysis analysis = reducer.analyse(block.getRealization(), null);
 * TruncationRule.Decision decision =
 *         rule.decide(analysis, block.getStateSize(), reducer, null);
 * if (decision.isReduce()) {
 *     block.setRealization(decision.getReduction().getRealization());
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; one instance can serve all layers. Tests may subclass
 * it to inject faults.
 */
public class SystemReducer {

    private static final Logger logger = LoggerFactory.getLogger(SystemReducer.class);

    /**
     * The eigenvalue of the placeholder state returned for a layer with a zero input-output map.
     */
    private static final double ZERO_SYSTEM_EIGENVALUE = 0.5;

    private final GramianMode mode;
    private final double maxModulus;

    /** Creates a reducer in {@link GramianMode#REAL_OUTPUT} mode. */
    public SystemReducer() {
        this(GramianMode.REAL_OUTPUT);
    }

    /**
     * Creates a reducer clamping eigenvalue moduli to {@code 1 - 1e-6}.
     *
     * @param mode which Gramians define the Hankel singular values
     */
    public SystemReducer(GramianMode mode) {
        this(mode, DiagonalForm.DEFAULT_MAX_MODULUS);
    }

    /**
     * Creates a reducer.
     *
     * @param mode which Gramians define the Hankel singular values
     * @param maxModulus the largest eigenvalue modulus handed back to blocks, in {@code (0, 1)};
     *     larger ones (from round-off) are scaled back with a logged warning
     * @throws IllegalArgumentException if {@code maxModulus} is out of range or {@code mode} null
     */
    public SystemReducer(GramianMode mode, double maxModulus) {
        if (mode == null) {
            throw new IllegalArgumentException("mode must not be null");
        }
        if (!(maxModulus > 0 && maxModulus < 1)) {
            throw new IllegalArgumentException(
                    "maxModulus must be in (0, 1) so blocks get stable eigenvalues, got "
                            + maxModulus);
        }
        this.mode = mode;
        this.maxModulus = maxModulus;
    }

    /**
     * Returns the Gramian mode.
     *
     * @return the mode
     */
    public GramianMode getMode() {
        return mode;
    }

    /**
     * Returns the largest eigenvalue modulus handed back to blocks.
     *
     * @return the clamp
     */
    public double getMaxModulus() {
        return maxModulus;
    }

    /**
     * Computes the layer-local Hankel singular values of a layer; the same as {@code
     * analyse(realization, null)}.
     *
     * @param realization the layer's system
     * @return the analysis, reusable for {@link #reduce(HankelAnalysis, int, SelectionMode,
     *     Random)}
     * @throws IllegalArgumentException if an eigenvalue has {@code |lambda| >= 1}
     */
    public final HankelAnalysis analyse(DiagonalRealization realization) {
        return analyse(realization, null);
    }

    /**
     * Computes the Hankel singular values of a layer: closed-form Gramians, their robust square
     * root factors and one SVD; {@code O(n^2 (inputs + outputs) + n^3)}.
     *
     * <p>With weights ({@link GramianWeighting#DATA}) the Gramians are those of the weighted system
     * {@link SignalWeights#weigh}, and a reduction balances and truncates the layer's own system
     * with them: the reduced layer is the unweighted form of the balanced truncation of the
     * weighted system.
     *
     * @param realization the layer's system
     * @param weights data weights, or {@code null} for the layer-local Gramians
     * @return the analysis, reusable for {@link #reduce(HankelAnalysis, int, SelectionMode,
     *     Random)}
     * @throws IllegalArgumentException if an eigenvalue has {@code |lambda| >= 1} or the weights do
     *     not match the layer
     */
    public HankelAnalysis analyse(DiagonalRealization realization, SignalWeights weights) {
        long start = System.nanoTime();
        Gramians gramians = gramians(realization, weights);
        RealSystem system = RealSystem.fromDiagonal(realization);
        BalancedTruncation balancing = BalancedTruncation.of(system, gramians);
        long ms = (System.nanoTime() - start) / 1_000_000;
        HankelAnalysis analysis = new HankelAnalysis(mode, realization, weights, balancing, ms);
        logger.debug(
                "Analysed {} ({}): numerical order {} of {} in {} ms",
                realization,
                mode,
                analysis.getNumericalOrder(),
                analysis.getFullOrder(),
                ms);
        return analysis;
    }

    /**
     * Computes only the Hankel singular values of a layer, as {@link #analyse(DiagonalRealization,
     * SignalWeights)} does but without what a reduction needs (the singular vectors): the cheaper
     * call for a spectrum that is reported, not cut.
     *
     * @param realization the layer's system
     * @param weights data weights, or {@code null} for the layer-local Gramians
     * @return the values, descending, in the units of {@link
     *     HankelAnalysis#getHankelSingularValues()}
     * @throws IllegalArgumentException if an eigenvalue has {@code |lambda| >= 1} or the weights do
     *     not match the layer
     */
    public double[] hankelSingularValues(DiagonalRealization realization, SignalWeights weights) {
        return HankelAnalysis.inMode(
                BalancedTruncation.hankelSingularValues(gramians(realization, weights)), mode);
    }

    private Gramians gramians(DiagonalRealization realization, SignalWeights weights) {
        DiagonalRealization weighted = weights == null ? realization : weights.weigh(realization);
        return Gramians.of(weighted, mode);
    }

    /**
     * Analyses and reduces a layer in one call.
     *
     * @param realization the layer's system
     * @param order how many balanced states to keep, in {@code [1, numerical order]} (units of
     *     {@link HankelAnalysis})
     * @param selection which balanced states to keep
     * @param random the source for {@link SelectionMode#RANDOM}; may be null otherwise
     * @return the reduction
     * @throws IllegalArgumentException if the system is unstable or {@code order} out of range
     * @throws IllegalStateException if the reduced system has no reliable diagonal form
     */
    public Reduction reduce(
            DiagonalRealization realization, int order, SelectionMode selection, Random random) {
        long start = System.nanoTime();
        HankelAnalysis analysis = analyse(realization);
        return reduce(analysis, order, selection, random, start);
    }

    /**
     * Reduces a layer whose analysis is already computed.
     *
     * <p>The kept balanced states are chosen by {@code mode}; the reduced real system is their
     * restriction of the balanced realisation and goes back to diagonal form (one layer state per
     * real eigenvalue or conjugate pair). In {@link GramianMode#COMPLEX_OUTPUT_REFERENCE} mode
     * {@code order} complex states are kept, as in the reference implementation.
     *
     * @param analysis the layer's analysis from this reducer's mode
     * @param order how many balanced states to keep, in {@code [1, numerical order]}
     * @param selection which balanced states to keep
     * @param random the source for {@link SelectionMode#RANDOM}; may be null otherwise
     * @return the reduction
     * @throws IllegalArgumentException if {@code order} is out of range, the analysis has another
     *     mode, or {@code random} is missing for {@link SelectionMode#RANDOM}
     * @throws IllegalStateException if the reduced system has no reliable diagonal form
     */
    public Reduction reduce(
            HankelAnalysis analysis, int order, SelectionMode selection, Random random) {
        return reduce(analysis, order, selection, random, System.nanoTime());
    }

    private Reduction reduce(
            HankelAnalysis analysis,
            int order,
            SelectionMode selection,
            Random random,
            long start) {
        if (analysis.getMode() != mode) {
            throw new IllegalArgumentException(
                    "The analysis was made in mode "
                            + analysis.getMode()
                            + ", this reducer uses "
                            + mode);
        }
        if (selection == null) {
            throw new IllegalArgumentException("selection must not be null");
        }
        double[] hsv = analysis.getHankelSingularValues();
        if (analysis.getNumericalOrder() == 0) {
            if (order < 1 || order > analysis.getFullOrder()) {
                analysis.requireOrder(order);
            }
            logger.warn(
                    "The layer's input-output map is zero (all Hankel singular values vanish):"
                            + " replaced by one state with zero input and output matrices");
            DiagonalRealization zero = zeroSystem(analysis.getRealization());
            return new Reduction(mode, selection, zero, null, hsv, new int[] {0}, elapsed(start));
        }
        analysis.requireOrder(order);
        int[] kept = RankSelection.select(order, analysis.getNumericalOrder(), selection, random);
        RealSystem reduced = analysis.getBalancing().truncate(analysis.realIndices(kept));
        Spectrum spectrum =
                selection == SelectionMode.LARGEST ? analysis.leadingSpectrum(order) : null;
        DiagonalRealization diagonal = DiagonalForm.of(reduced, maxModulus, spectrum);
        Reduction result =
                new Reduction(mode, selection, diagonal, reduced, hsv, kept, elapsed(start));
        logger.debug("Reduced {}: {}", analysis.getRealization(), result);
        return result;
    }

    private static DiagonalRealization zeroSystem(DiagonalRealization like) {
        int m = like.getInputSize();
        int p = like.getOutputSize();
        return new DiagonalRealization(
                new double[] {ZERO_SYSTEM_EIGENVALUE},
                new double[1],
                new double[1][m],
                new double[1][m],
                new double[p][1],
                new double[p][1]);
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
