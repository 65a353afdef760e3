/**
 * Internal package: the dense double-precision linear algebra under the control math of {@code
 * io.github.compressm.control}. It is not API and may change or disappear without notice in any
 * release. The one exception is {@link io.github.compressm.control.linalg.LinearAlgebraBackend},
 * which reports the backend in use and names the system properties that select it.
 *
 * <p>The control package reaches it through one entry point, {@link
 * io.github.compressm.control.linalg.DenseAlgebra}, on {@link
 * io.github.compressm.control.linalg.DenseMatrix} values (a shape and row-major entries, shared,
 * not copied); its results are {@link io.github.compressm.control.linalg.DenseSvd} and {@link
 * io.github.compressm.control.linalg.Spectrum} (eigenvalues, eigenvectors on demand). No public
 * type of this package exposes the matrix library it runs on. Behind that entry point, on EJML
 * matrices and package-private:
 *
 * <ul>
 *   <li>the {@code O(n^3)} kernels behind one seam, {@code DenseKernels} (products, thin SVD,
 *       pivoted Cholesky, inverse, non-symmetric eigendecomposition), with a pure-Java
 *       implementation on EJML and a native one on OpenBLAS/LAPACK through JavaCPP, chosen once per
 *       JVM from the system property {@code compressm.linalg} ({@link
 *       io.github.compressm.control.linalg.LinearAlgebraBackend}); in pure Java the eigenvectors
 *       come from inverse iteration on the Hessenberg form, because EJML's general
 *       eigendecomposition returns none for complex eigenvalues;
 *   <li>the rank-revealing factor of a positive semi-definite matrix, {@code PsdFactor};
 *   <li>a solver of the discrete Lyapunov (Stein) equation, {@code LyapunovSolver}.
 * </ul>
 *
 * <p>Nothing here depends on {@code io.github.compressm.control}.
 */
package io.github.compressm.control.linalg;
