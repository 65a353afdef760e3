package io.github.compressm.listener;

import ai.djl.training.ParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether a trainer's optimizer over-sizes the first updates of the parameters a reduction
 * creates: DJL's {@link Adam} and {@link AdamW} bias-correct with the global step count unless
 * their learning rate tracker is a {@link FreshParameterTracker}.
 *
 * <p>DJL exposes neither a trainer's optimizer nor an optimizer's tracker, so the audit reads them
 * from the objects' fields, found by type (trainer, parameter store, parameter server, optimizer,
 * tracker). If any link is missing the answer is "no problem known" and nothing is reported.
 */
final class OptimizerAudit {

    private static final Logger logger = LoggerFactory.getLogger(OptimizerAudit.class);

    private OptimizerAudit() {}

    /**
     * Returns the problem with a trainer's optimizer for parameters created during training, or
     * null if there is none or it cannot be told.
     *
     * @param trainer the trainer
     * @return a message naming the problem and the fix, or null
     */
    static String problem(Trainer trainer) {
        ParameterStore store = field(trainer, ParameterStore.class);
        Optimizer optimizer = field(field(store, ParameterServer.class), Optimizer.class);
        if (!(optimizer instanceof Adam || optimizer instanceof AdamW)) {
            return null;
        }
        ParameterTracker tracker = field(optimizer, ParameterTracker.class);
        if (tracker == null || tracker instanceof FreshParameterTracker) {
            return null;
        }
        String name = optimizer.getClass().getSimpleName();
        return name
                + " bias-corrects with the global step count, so the parameters a reduction"
                + " creates get updates up to 6.5x larger than Adam's bias correction intends"
                + " (the largest about 10 updates after the reduction). Fix: build the optimizer"
                + " with"
                + " Optimizer."
                + (optimizer instanceof AdamW ? "adamW" : "adam")
                + "().optLearningRateTracker(FreshParameterTracker.wrap(yourTracker))";
    }

    /** The first instance field of {@code owner} (or its superclasses) of a type, or null. */
    private static <T> T field(Object owner, Class<T> type) {
        if (owner == null) {
            return null;
        }
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && type.isAssignableFrom(f.getType())) {
                    try {
                        f.setAccessible(true);
                        return type.cast(f.get(owner));
                    } catch (IllegalAccessException | RuntimeException e) {
                        logger.debug("Cannot read {}.{}", c.getName(), f.getName(), e);
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
