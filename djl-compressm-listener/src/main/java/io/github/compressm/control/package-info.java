/**
 * The control-theory core of CompreSSM: Gramians, Hankel singular values, balanced truncation and
 * the way back to a diagonal realisation, in double precision and independent of NDArrays.
 *
 * <p>The entry point is {@link io.github.compressm.control.SystemReducer}: {@link
 * io.github.compressm.control.SystemReducer#analyse(io.github.compressm.ssm.DiagonalRealization,
 * SignalWeights) analyse} a layer's {@link io.github.compressm.ssm.DiagonalRealization} into a
 * {@link io.github.compressm.control.HankelAnalysis} (Hankel singular values), let a {@link
 * io.github.compressm.control.TruncationRule} decide the order (tolerance or kept fraction, minimum
 * size, gate, selection mode), which {@link
 * io.github.compressm.control.SystemReducer#reduce(HankelAnalysis, int, SelectionMode,
 * java.util.Random) reduces} it to a {@link io.github.compressm.control.Reduction} whose smaller
 * diagonal realisation goes back to the block.
 *
 * <h2>Data-aware Hankel singular values</h2>
 *
 * <p>Layer-local Gramians count every input and output direction of a layer as used. With {@link
 * io.github.compressm.control.GramianWeighting#DATA} the Gramians are those of the layer weighted
 * by the second moments of its inputs and of the loss gradient at its output ({@link
 * io.github.compressm.control.SignalWeights}), so states that only talk to directions the network
 * does not use are cut.
 *
 * <h2>Orders and state counts</h2>
 *
 * <p>An LRU-like layer has {@code n} complex states and output {@code Re(C x)}; its input-output
 * map is that of a real system of order {@code 2n} (complex state {@code k} as the real pair {@code
 * (Re x_k, Im x_k)}). In the default {@link io.github.compressm.control.GramianMode#REAL_OUTPUT}
 * mode the Hankel singular values, the <em>order</em> of a reduction and the rank selection all
 * refer to that real system (up to {@code 2n} values). The reduced real system of order {@code r}
 * has eigenvalues that are real or come in conjugate pairs; each pair becomes one complex state
 * with {@code Re} output and each real eigenvalue one state with zero phase, so the layer ends up
 * with {@code (#real) + (#pairs) <= r} states ({@link
 * io.github.compressm.control.HankelAnalysis#statesForOrder}). In the {@link
 * io.github.compressm.control.GramianMode#COMPLEX_OUTPUT_REFERENCE} mode the order counts complex
 * states ({@code n} values), as in the JAX reference implementation.
 *
 * <h2>Public API</h2>
 *
 * <p>What users and the listener need, and nothing else: {@link
 * io.github.compressm.control.SystemReducer}, {@link io.github.compressm.control.HankelAnalysis},
 * {@link io.github.compressm.control.Reduction}, {@link io.github.compressm.control.TruncationRule}
 * (with its {@code Builder} and {@code Decision}), {@link
 * io.github.compressm.control.SignalWeights} and the enums {@link
 * io.github.compressm.control.GramianMode}, {@link io.github.compressm.control.GramianWeighting}
 * and {@link io.github.compressm.control.SelectionMode}. The steps of the method (Gramians, the
 * square-root balancing, the real system and its diagonal form, the choice of kept states) are
 * package-private.
 *
 * <h2>Linear algebra</h2>
 *
 * <p>Matrices are EJML's, but only inside this package: no EJML type appears in its public API. The
 * dense linear algebra under the method lives one floor below, in the internal package {@link
 * io.github.compressm.control.linalg}: the {@code O(n^3)} kernels (SVD, pivoted Cholesky,
 * non-symmetric eigendecomposition, large products, one inverse), which run on native
 * OpenBLAS/LAPACK when JavaCPP's {@code org.bytedeco:openblas} is on the classpath and on EJML
 * otherwise ({@link io.github.compressm.control.linalg.LinearAlgebraBackend}), the factor of a
 * positive semi-definite matrix and the Lyapunov solver. This package holds the method.
 */
package io.github.compressm.control;
