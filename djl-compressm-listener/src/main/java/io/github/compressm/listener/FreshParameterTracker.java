package io.github.compressm.listener;

import ai.djl.training.tracker.Tracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A learning rate tracker for DJL's {@code Adam} and {@code AdamW} that gives every parameter the
 * bias correction of its own age, so parameters created during training (by a CompreSSM reduction)
 * do not get oversized updates.
 *
 * <p>DJL's Adam computes its step as {@code lr(t) * sqrt(1 - beta2^t) / (1 - beta1^t) * m /
 * (sqrt(v) + eps)} with {@code t} the <em>global</em> update count (the largest count of any
 * parameter), while the moments {@code m, v} of a new parameter id start at zero. At {@code t} in
 * the thousands the correction factor is about 1, so the {@code k}-th update of a new parameter is
 * {@code (1 - beta1^k) / sqrt(1 - beta2^k)} times the properly bias-corrected one: 3.2x at {@code k
 * = 1}, 6.5x at {@code k = 10}, 3.2x at {@code k = 100}, still 1.3x at {@code k = 1000} (with the
 * default betas). This tracker counts the updates of each parameter id ({@code k}) and returns
 *
 * <pre>
 *   base(t) * [sqrt(1 - beta2^k) / (1 - beta1^k)] / [sqrt(1 - beta2^t) / (1 - beta1^t)]
 * </pre>
 *
 * so that Adam's product becomes exactly {@code base(t) * sqrt(1 - beta2^k) / (1 - beta1^k)}: the
 * textbook per-parameter correction. The learning rate schedule still follows the global count
 * {@code t}. Parameters that exist from the start are updated at every step, so for them {@code k =
 * t} and the factor is exactly 1: training without reductions is unchanged.
 *
 * <pre>
 * Optimizer adam = Optimizer.adam()
 *         .optLearningRateTracker(FreshParameterTracker.wrap(Tracker.fixed(1e-3f)))
 *         .build();
 * </pre>
 *
 * <p>The betas must be those of the optimizer. With AdamW the decoupled weight decay, which DJL
 * scales by the tracker's learning rate, is scaled by the same factor during a new parameter's
 * first steps. With several devices DJL calls the optimizer once per device and parameter, and both
 * counts advance per call, so the correction stays consistent with DJL's own counting.
 */
public final class FreshParameterTracker implements Tracker {

    private final Tracker base;
    private final double beta1;
    private final double beta2;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    private FreshParameterTracker(Tracker base, float beta1, float beta2) {
        this.base = base;
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    /**
     * Wraps a learning rate tracker for an Adam or AdamW optimizer with DJL's default betas (0.9,
     * 0.999).
     *
     * @param base the learning rate schedule
     * @return the wrapping tracker
     */
    public static FreshParameterTracker wrap(Tracker base) {
        return wrap(base, 0.9f, 0.999f);
    }

    /**
     * Wraps a learning rate tracker for an Adam or AdamW optimizer with the given betas.
     *
     * @param base the learning rate schedule
     * @param beta1 the optimizer's first-moment decay, in (0, 1)
     * @param beta2 the optimizer's second-moment decay, in (0, 1)
     * @return the wrapping tracker
     * @throws IllegalArgumentException if a beta is out of range or {@code base} is null
     */
    public static FreshParameterTracker wrap(Tracker base, float beta1, float beta2) {
        if (base == null) {
            throw new IllegalArgumentException("The base learning rate tracker must not be null");
        }
        if (!(beta1 > 0 && beta1 < 1) || !(beta2 > 0 && beta2 < 1)) {
            throw new IllegalArgumentException(
                    "Adam's betas must be in (0, 1), got " + beta1 + " and " + beta2);
        }
        return new FreshParameterTracker(base, beta1, beta2);
    }

    /**
     * Returns the base schedule's value: without a parameter id there is no age to correct for.
     *
     * @param numUpdate the global update count
     * @return the base learning rate
     */
    @Override
    public float getNewValue(int numUpdate) {
        return base.getNewValue(numUpdate);
    }

    /** {@inheritDoc} */
    @Override
    public float getNewValue(String parameterId, int numUpdate) {
        float learningRate = base.getNewValue(parameterId, numUpdate);
        int age = counts.merge(parameterId, 1, Integer::sum);
        if (age >= numUpdate) {
            return learningRate;
        }
        return (float) (learningRate * biasCorrection(age) / biasCorrection(numUpdate));
    }

    /**
     * Returns how many updates a parameter has had through this tracker.
     *
     * @param parameterId the parameter id
     * @return the count, 0 if never seen
     */
    public int getUpdateCount(String parameterId) {
        return counts.getOrDefault(parameterId, 0);
    }

    /**
     * Forgets the counts of parameters that no longer exist, for long runs with many reductions.
     *
     * @param parameterId the id to forget
     */
    public void forget(String parameterId) {
        counts.remove(parameterId);
    }

    /**
     * Adam's bias correction of the step size after {@code t} updates.
     *
     * @param t the update count, positive
     * @return {@code sqrt(1 - beta2^t) / (1 - beta1^t)}
     */
    double biasCorrection(int t) {
        return Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    }
}
