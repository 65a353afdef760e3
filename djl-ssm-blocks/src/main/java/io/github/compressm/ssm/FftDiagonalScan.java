package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.compressm.ssm.DiagonalScanLayout.Dynamics;
import java.util.Map;

/**
 * The forward pass of a complex diagonal layer with its recurrence as a convolution along time
 * ({@link DiagonalScan#FFT}): every state is the causal convolution of its input {@code v = (s * B)
 * u} with its impulse response {@code lambda^t},
 *
 * <pre>
 *   x_t = sum_{s <= t} lambda^(t - s) v_s + lambda^(t + 1) x_init,
 * </pre>
 *
 * computed as a product of discrete Fourier transforms of {@code M >= 2L - 1} points (the smallest
 * size with no prime factor above 5), so that the circular convolution equals the causal one on the
 * first {@code L} steps. The initial state enters as an extra input {@code lambda x_init} at the
 * first step, a constant added to the input's transform. The outputs are {@code y_t = Re(C x_t) + D
 * u_t}, with {@code D} applied per feature.
 *
 * <p>Everything is real arithmetic on real and imaginary parts: the transforms are real-input ones
 * ({@code rfft}, {@code irfft}), and the complex convolution of {@code k = k_re + i k_im} with
 * {@code v = v_re + i v_im} is the pair of real convolutions {@code k_re * v_re - k_im * v_im} and
 * {@code k_im * v_re + k_re * v_im}, two products of spectra and a sum. (DJL's complex view of real
 * pairs, {@code complex()}, carries no gradient on the PyTorch engine.) Layout {@code (batch, time,
 * state, re/im)}: the input projection writes it and the output projection reads it, with no
 * transposition. The transforms' gradients are the engine's.
 */
final class FftDiagonalScan {

    private final boolean returnState;

    /**
     * Creates the scan of a layer.
     *
     * @param returnState whether {@link #forward} returns the final state after the output
     */
    FftDiagonalScan(boolean returnState) {
        this.returnState = returnState;
    }

    /**
     * Computes {@code x_t = lambda * x_{t-1} + (s * B) u_t}, {@code y_t = Re(C x_t) + D * u_t}, as
     * {@link DiagonalScanLayout#forward} does.
     *
     * @param inputs the input {@code u}, {@code (batch, time, features)}, optionally followed by
     *     the state before the first step, {@code (batch, 2, state)} (a zero state without)
     * @param dynamics the eigenvalues and input scales
     * @param parameters the layer's parameters by name ({@link DiagonalParameters}), of which
     *     {@code B_re, B_im, C_re, C_im, D} are read
     * @return {@code NDList(y)}, or {@code NDList(y, finalState)} if the final state is returned
     */
    NDList forward(NDList inputs, Dynamics dynamics, Map<String, NDArray> parameters) {
        NDArray u = inputs.get(0);
        long batch = u.getShape().get(0);
        int length = Math.toIntExact(u.getShape().get(1));
        long h = u.getShape().get(2);
        long n = dynamics.decay().getShape().get(0);
        int size = transformLength(length);

        // The rows of s * B interleave real and imaginary parts: the drive is (batch, time,
        // state, re/im), and so is everything up to the output projection.
        NDArray inputMatrix =
                DiagonalScanLayout.inputMatrix(
                                dynamics,
                                parameters.get(DiagonalParameters.B_RE),
                                parameters.get(DiagonalParameters.B_IM))
                        .reshape(2 * n, h);
        NDArray spectrum =
                u.reshape(batch * length, h)
                        .matMul(inputMatrix.transpose())
                        .reshape(batch, length, n, 2)
                        .rfft(size, 1);
        if (inputs.size() > 1) {
            spectrum = spectrum.add(initialKick(dynamics, inputs.get(1), u));
        }
        NDArray states =
                product(impulseSpectra(dynamics, length, size, u.getManager()), spectrum)
                        .irfft(size, 1);
        NDArray y =
                // The first L steps as a split, not a slice (see DiagonalScanLayout#forward).
                states.split(new long[] {length}, 1)
                        .get(0)
                        .reshape(batch, length, 2 * n)
                        .matMul(
                                DiagonalScanLayout.outputMatrix(
                                                parameters.get(DiagonalParameters.C_RE),
                                                parameters.get(DiagonalParameters.C_IM))
                                        .transpose());
        NDArray output = u.mul(parameters.get(DiagonalParameters.D)).addi(y);
        if (!returnState) {
            return new NDList(output);
        }
        return new NDList(output, states.get(":, " + (length - 1)).transpose(0, 2, 1));
    }

    /**
     * The spectra of the complex convolution {@code x = k * v}, {@code x_re = k_re * v_re - k_im *
     * v_im} and {@code x_im = k_im * v_re + k_re * v_im}, from the spectra of the real and
     * imaginary parts of the inputs: {@code X = V_re (K_re, K_im) + V_im (-K_im, K_re)}, two
     * products and a sum.
     *
     * @param kernel the spectra of {@code (k_re, k_im)} and {@code (-k_im, k_re)}, {@code
     *     (frequency, 2, state, re/im)}
     * @param signal the spectra of {@code (v_re, v_im)}, {@code (batch, frequency, state, re/im)}
     * @return the spectra of {@code (x_re, x_im)}, {@code (batch, frequency, state, re/im)}
     */
    private static NDArray product(NDArray kernel, NDArray signal) {
        NDList k = kernel.split(2, 1);
        NDList v = signal.split(2, 3);
        return v.get(0).mul(k.get(0).squeeze(1)).addi(v.get(1).mul(k.get(1).squeeze(1)));
    }

    /**
     * The number of points of the transforms for a sequence of {@code length} steps: the smallest
     * {@code M >= 2 length - 1} whose prime factors are 2, 3 and 5, sizes for which fast Fourier
     * transforms run fastest.
     *
     * @param length the sequence length, at least 1
     * @return the transform length
     */
    static int transformLength(int length) {
        int size = 2 * length - 1;
        while (!smooth(size)) {
            size++;
        }
        return size;
    }

    /** Whether {@code size} has no prime factor above 5. */
    private static boolean smooth(int size) {
        int rest = size;
        for (int p : new int[] {2, 3, 5}) {
            while (rest % p == 0) {
                rest /= p;
            }
        }
        return rest == 1;
    }

    /**
     * The transforms of every state's impulse response {@code k_t = lambda^t}, {@code t < length},
     * zero-padded to {@code size} points, as the pairs {@code (k_re, k_im)} and {@code (-k_im,
     * k_re)}: complex, shape {@code (size / 2 + 1, 2, state, re/im)}.
     */
    private static NDArray impulseSpectra(
            Dynamics dynamics, int length, int size, NDManager manager) {
        float[] steps = new float[length];
        for (int t = 0; t < length; t++) {
            steps[t] = t;
        }
        NDList lambda = EigenvaluePowers.of(dynamics.decay(), dynamics.frequency(), steps, manager);
        NDArray re = lambda.get(0).transpose();
        NDArray im = lambda.get(1).transpose();
        NDArray first = NDArrays.stack(new NDList(re, im), 2);
        NDArray second = NDArrays.stack(new NDList(im.neg(), re), 2);
        return NDArrays.stack(new NDList(first, second), 1).rfft(size, 0);
    }

    /**
     * The initial state's input at the first step, {@code lambda x_init}, real of shape {@code
     * (batch, 1, state, re/im)}: the transform of an input at step 0 is the same at every
     * frequency.
     *
     * @param initial the state, {@code (batch, 2, state)}
     * @param input the layer's input: the result is attached to its manager
     */
    private static NDArray initialKick(Dynamics dynamics, NDArray initial, NDArray input) {
        // DJL attaches an operation's result to the manager of the array it is called on.
        NDArray state = initial.reshape(initial.getShape());
        state.attach(input.getManager());
        NDList parts = state.split(2, 1);
        NDArray re = parts.get(0);
        NDArray im = parts.get(1);
        NDArray modulus = dynamics.decay().neg().exp();
        NDArray a = modulus.mul(dynamics.frequency().cos());
        NDArray b = modulus.mul(dynamics.frequency().sin());
        return NDArrays.stack(new NDList(a.mul(re).sub(b.mul(im)), a.mul(im).add(b.mul(re))), 3);
    }
}
