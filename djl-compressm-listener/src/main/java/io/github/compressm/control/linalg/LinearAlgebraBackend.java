package io.github.compressm.control.linalg;

/**
 * The implementation of the dense {@code O(n^3)} kernels (SVD, non-symmetric eigendecomposition,
 * large products) behind the control math ({@code io.github.compressm.control.SystemReducer}).
 *
 * <p>By default ({@code -Dcompressm.linalg=auto}) native OpenBLAS/LAPACK is used when JavaCPP's
 * {@code org.bytedeco:openblas} and its native jar for the platform are on the classpath (e.g. the
 * artifact {@code org.bytedeco:openblas-platform}, or {@code openblas} with classifier {@code
 * linux-x86_64}), and pure-Java EJML otherwise; both give the same results to round-off. Native
 * kernels make a 256-state check about 3x faster (see BENCHMARKS.md). {@code
 * -Dcompressm.linalg=java} forces EJML, {@code -Dcompressm.linalg=openblas} requires the native
 * kernels and fails fast without them. The choice is made once per JVM and logged at INFO level.
 */
public enum LinearAlgebraBackend {

    /** Pure Java (EJML): always available. */
    EJML,

    /** Native OpenBLAS and LAPACK through JavaCPP ({@code org.bytedeco:openblas}). */
    OPENBLAS;

    /**
     * The system property that selects the backend: {@code auto}, {@code java} or {@code openblas}.
     */
    public static final String PROPERTY = "compressm.linalg";

    /**
     * The system property with the number of threads of the native kernels. Unset, they run on one
     * thread, or on OpenBLAS' own choice if the environment sets {@code OPENBLAS_NUM_THREADS}. A
     * check runs between two training steps, while the engine's threads still spin-wait for work:
     * on a 2-core machine one OpenBLAS thread made the analysis of a 64-state layer about 2x faster
     * than two, and a 256-state one as fast. Raise it for layers of a thousand states and more on a
     * machine with cores to spare.
     */
    public static final String THREADS_PROPERTY = "compressm.linalg.threads";

    /**
     * Returns the backend this JVM uses.
     *
     * @return the active backend
     * @throws IllegalStateException if {@link #PROPERTY} is invalid, or requires OpenBLAS and it
     *     cannot be loaded
     */
    public static LinearAlgebraBackend active() {
        return DenseKernels.active().backend();
    }
}
