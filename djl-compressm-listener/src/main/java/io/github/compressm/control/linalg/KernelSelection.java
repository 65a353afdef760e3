package io.github.compressm.control.linalg;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the {@link DenseKernels} of this JVM from {@link LinearAlgebraBackend#PROPERTY}. */
final class KernelSelection {

    private static final Logger logger = LoggerFactory.getLogger(KernelSelection.class);

    /** The kernels of this JVM, chosen on first use. */
    private static DenseKernels active;

    private KernelSelection() {}

    /**
     * Returns the kernels of this JVM, choosing them on first use from {@link
     * LinearAlgebraBackend#PROPERTY}. A failed choice is not remembered, so every caller gets the
     * same clear {@link IllegalStateException} (a static initialiser would turn it into an {@link
     * ExceptionInInitializerError} that escapes the listener's per-layer fault isolation).
     *
     * @return the active kernels
     * @throws IllegalStateException as {@link #select(String)}
     */
    static synchronized DenseKernels active() {
        if (active == null) {
            active = select(System.getProperty(LinearAlgebraBackend.PROPERTY));
        }
        return active;
    }

    /**
     * Returns the kernels for a property value.
     *
     * @param value {@code auto} (or null), {@code java} or {@code openblas}, case-insensitive
     * @return the kernels
     * @throws IllegalStateException if the value or {@link LinearAlgebraBackend#THREADS_PROPERTY}
     *     is invalid, or the value is {@code openblas} and the native library cannot be loaded
     */
    static DenseKernels select(String value) {
        String choice = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "java":
                logger.info("Control math on pure-Java EJML kernels ({}=java)", property());
                return new EjmlKernels();
            case "openblas":
            case "auto":
                int threads =
                        threadCount(
                                System.getProperty(LinearAlgebraBackend.THREADS_PROPERTY),
                                System.getenv("OPENBLAS_NUM_THREADS"));
                try {
                    DenseKernels kernels = OpenBlasKernels.load(threads);
                    logger.info("Control math on native OpenBLAS/LAPACK kernels");
                    return kernels;
                } catch (LinkageError | RuntimeException e) {
                    if (choice.equals("openblas")) {
                        throw new IllegalStateException(
                                property()
                                        + "=openblas but the native OpenBLAS kernels cannot be"
                                        + " loaded ("
                                        + e
                                        + "): add org.bytedeco:openblas-platform (or openblas"
                                        + " with your platform's classifier) to the classpath,"
                                        + " or use "
                                        + property()
                                        + "=auto",
                                e);
                    }
                    logger.info(
                            "Control math on pure-Java EJML kernels: native OpenBLAS is not"
                                    + " available ({}); add org.bytedeco:openblas-platform for"
                                    + " about 3x faster compression checks",
                            e.toString());
                    return new EjmlKernels();
                }
            default:
                throw new IllegalStateException(
                        "Unknown value '"
                                + value
                                + "' of the system property "
                                + property()
                                + ": use auto (native OpenBLAS if available, else Java), java or"
                                + " openblas");
        }
    }

    /**
     * Returns the thread count the native kernels are given.
     *
     * @param property the value of {@link LinearAlgebraBackend#THREADS_PROPERTY}, or null
     * @param environment the value of {@code OPENBLAS_NUM_THREADS}, or null
     * @return the property's value; else 0 (OpenBLAS' own) if the environment sets a count; else 1
     * @throws IllegalStateException if the property is not a positive whole number
     */
    static int threadCount(String property, String environment) {
        if (property != null) {
            try {
                int threads = Integer.parseInt(property.trim());
                if (threads > 0) {
                    return threads;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalStateException(
                    "The system property "
                            + LinearAlgebraBackend.THREADS_PROPERTY
                            + " is '"
                            + property
                            + "': use a positive whole number of threads for the native kernels"
                            + " (e.g. -D"
                            + LinearAlgebraBackend.THREADS_PROPERTY
                            + "=1)");
        }
        return environment != null && !environment.isBlank() ? 0 : 1;
    }

    private static String property() {
        return LinearAlgebraBackend.PROPERTY;
    }
}
