/**
 * Internal package: the dense double-precision linear algebra under the control math of {@code
 * io.github.compressm.control}. It is not API; its types are public only so that the control
 * package can use them, and they may change or disappear without notice in any release. The one
 * exception is {@link io.github.compressm.control.linalg.LinearAlgebraBackend}, which reports the
 * backend in use and names the system property that selects it.
 *
 * <p>It holds, on EJML matrices ({@code org.ejml.data.DMatrixRMaj}) and independent of the method:
 *
 * <ul>
 *   <li>the {@code O(n^3)} kernels behind one seam, {@link
 *       io.github.compressm.control.linalg.DenseKernels} (products, thin SVD, pivoted Cholesky,
 *       inverse, non-symmetric eigendecomposition), with a pure-Java implementation on EJML and a
 *       native one on OpenBLAS/LAPACK through JavaCPP, chosen once per JVM from the system property
 *       {@code compressm.linalg} ({@link io.github.compressm.control.linalg.LinearAlgebraBackend});
 *   <li>their results: {@link io.github.compressm.control.linalg.Svd} and {@link
 *       io.github.compressm.control.linalg.Spectrum} (eigenvalues, eigenvectors on demand; in pure
 *       Java by inverse iteration on the Hessenberg form, because EJML's general eigendecomposition
 *       returns no eigenvectors for complex eigenvalues);
 *   <li>the rank-revealing factor of a positive semi-definite matrix, {@link
 *       io.github.compressm.control.linalg.PsdFactor};
 *   <li>a solver of the discrete Lyapunov (Stein) equation, {@link
 *       io.github.compressm.control.linalg.LyapunovSolver}.
 * </ul>
 *
 * <p>Nothing here depends on {@code io.github.compressm.control}.
 */
package io.github.compressm.control.linalg;
