package io.github.compressm.control;

/**
 * Which Gramians define the Hankel singular values of a diagonal layer with output {@code Re(C x)}.
 */
public enum GramianMode {

    /**
     * The correct analysis of the layer's real input-output map: the Gramians of the real {@code
     * 2n}-dimensional realisation (complex state {@code k} as the real pair {@code (Re x_k, Im
     * x_k)}), equivalently of the conjugate system {@code diag(lambda, conj lambda)}, {@code [B;
     * conj B]}, {@code [C/2, conj C/2]}. The Hankel singular values are those of the real system
     * ({@code 2n} values), orders count real states, and balanced truncation carries the guarantee
     * {@code ||G - G_r||_inf <= 2 sum of discarded sigma}. The default.
     */
    REAL_OUTPUT,

    /**
     * The variant of the JAX reference implementation, offered only to reproduce its published rank
     * choices: the {@code Re} of the output is ignored and {@code C} is treated as if the output
     * were complex, {@code P_ij = (B B^H)_ij / (1 - lambda_i conj lambda_j)}, {@code Q_ij = (C^H
     * C)_ij / (1 - conj lambda_i lambda_j)}, giving {@code n} Hankel singular values of the complex
     * system; orders count complex states.
     *
     * <p>Truncation in this mode reproduces the reference: balanced truncation of the complex
     * system to {@code r} complex states (computed on its real {@code 2n} embedding), after which
     * the layer again outputs {@code Re(C_r x)}. The result is a valid layer but not the balanced
     * truncation of the layer's true input-output map, so the error bound of {@link #REAL_OUTPUT}
     * does not hold. On random 48-state LRU layers with 3 features cut to 6, 10 and 14 states, its
     * H-infinity error was 1.05x, 1.26x and 1.42x that of {@link #REAL_OUTPUT} at the same state
     * count with {@code r_min = 0.9} (geometric means over 6 seeds), and 1.32x, 1.78x and 2.52x
     * with the slower-decaying {@code r_min = 0.5}. The reported Hankel singular values and
     * energies refer to the complex system.
     */
    COMPLEX_OUTPUT_REFERENCE
}
