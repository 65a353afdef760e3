package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/**
 * The forward pass of a complex diagonal layer around a {@link ChunkedDiagonalScan} ({@link
 * DiagonalScan#CHUNKED}; {@link FftDiagonalScan} is the other way): how an input {@code u} of shape
 * {@code (batch, time, features)} is padded, projected by {@code s * B} and laid out as the scan's
 * {@code (state, re/im x step, column)}, and how the states come back through {@code Re(C x) + D *
 * u} to the input's layout.
 *
 * <p>The layout change keeps the features innermost: the input's rows of features are reordered to
 * (step, sequence, chunk), a copy that moves whole rows, and both projections reach the scan's
 * layout through a transposed operand of their matrix product, {@code (s B) u^T} and {@code x^T
 * C^T}, so no copy moves the innermost dimension. Real and imaginary parts of a state are
 * interleaved in the rows of {@code s * B} and the columns of {@code C}, so one product drives or
 * reads both.
 */
final class DiagonalScanLayout {

    private final int chunkLength;
    private final boolean returnState;

    /**
     * Creates the layout of a layer.
     *
     * @param chunkLength the steps per chunk, or 0 to choose from the sequence length ({@link
     *     ChunkedDiagonalScan#chunkLengthFor})
     * @param returnState whether {@link #forward} returns the final state after the output
     */
    DiagonalScanLayout(int chunkLength, boolean returnState) {
        this.chunkLength = chunkLength;
        this.returnState = returnState;
    }

    /**
     * Computes {@code x_t = lambda * x_{t-1} + (s * B) u_t}, {@code y_t = Re(C x_t) + D * u_t}.
     * Every array is on the input's device and manager, of the input's data type.
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
        NDArray initial = inputs.size() > 1 ? inputs.get(1) : null;
        NDArray bRe = parameters.get(DiagonalParameters.B_RE);
        NDArray bIm = parameters.get(DiagonalParameters.B_IM);
        NDArray cRe = parameters.get(DiagonalParameters.C_RE);
        NDArray cIm = parameters.get(DiagonalParameters.C_IM);
        NDArray d = parameters.get(DiagonalParameters.D);
        long batch = u.getShape().get(0);
        int length = Math.toIntExact(u.getShape().get(1));
        long h = u.getShape().get(2);
        long n = bRe.getShape().get(0);
        int chunkLength =
                this.chunkLength > 0
                        ? Math.min(this.chunkLength, length)
                        : ChunkedDiagonalScan.chunkLengthFor(length);
        int chunks = (length + chunkLength - 1) / chunkLength;
        long padded = (long) chunks * chunkLength;
        long columns = batch * chunks;

        NDArray input = u;
        if (padded > length) {
            // Zeros appended at the end cannot change earlier states.
            input =
                    u.concat(
                            u.getManager()
                                    .zeros(new Shape(batch, padded - length, h), u.getDataType()),
                            1);
        }
        NDArray inputMatrix = inputMatrix(dynamics, bRe, bIm).reshape(2 * n, h);
        // The scan takes (state, re/im x step, column), column m = sequence * chunks + chunk. A
        // copy that moves the features, the innermost dimension, is several times slower than one
        // that moves whole rows of them (on the 2-core CPU, (column, step, feature) to (feature,
        // step, column) took 1.5-1.9 ms against 0.2 ms for (step, column, feature) at n = 32, 64
        // features). Against copying the narrower of features and 2 * state coordinates across,
        // forward + backward of one layer (batch 32, length 784, 64 features, the two alternating)
        // took 16.5-17.4 against 17.2-18.1 ms at n = 16, 25.3-26.1 against 29.3-30.9 ms at n = 32
        // and 43.8 against 50.2 ms at n = 64 (minima).
        NDArray steps =
                input.reshape(batch, chunks, chunkLength, h)
                        .transpose(2, 0, 1, 3)
                        .reshape(chunkLength * columns, h);
        NDArray drive = inputMatrix.matMul(steps.transpose()).reshape(n, 2L * chunkLength, columns);

        ChunkedDiagonalScan scan = new ChunkedDiagonalScan(chunkLength, chunks);
        NDArray states =
                scan.scan(
                        dynamics.decay(),
                        dynamics.frequency(),
                        drive,
                        batch,
                        scanLayout(initial, u));

        NDArray outputMatrix = outputMatrix(cRe, cIm);
        // A (batch, chunks, chunkLength, h) view of whole rows of features, added to the skip D * u
        // in place: the layout change back to the input's costs no array of its own.
        NDArray y =
                states.reshape(2 * n, chunkLength * columns)
                        .transpose()
                        .matMul(outputMatrix.transpose())
                        .reshape(chunkLength, batch, chunks, h)
                        .transpose(1, 2, 0, 3);
        NDArray output =
                input.reshape(batch, chunks, chunkLength, h)
                        .mul(d)
                        .addi(y)
                        .reshape(batch, padded, h);
        if (padded > length) {
            // A split, not a slice: backwards it writes the gradient once, where a slice first
            // fills a padded-size array with zeros and then copies the gradient into it.
            output = output.split(new long[] {length}, 1).get(0);
        }
        if (!returnState) {
            return new NDList(output);
        }
        return new NDList(output, scan.stateAt(states, length - 1, batch).transpose(2, 1, 0));
    }

    /**
     * Returns the shapes {@link #forward} returns: the input's, then the final state's if it is
     * returned.
     *
     * @param input the input's shape, {@code (batch, time, features)}
     * @param stateSize the number of states
     * @return the output shapes
     */
    Shape[] outputShapes(Shape input, int stateSize) {
        if (!returnState) {
            return new Shape[] {input};
        }
        return new Shape[] {input, new Shape(input.get(0), 2, stateSize)};
    }

    /**
     * The effective input matrix {@code s * B}, shape {@code (state, 2, features)}: real and
     * imaginary rows interleaved.
     *
     * @param dynamics the input scales
     * @param bRe the real part of {@code B}, {@code (state, features)}
     * @param bIm the imaginary part of {@code B}, {@code (state, features)}
     * @return the matrix
     */
    static NDArray inputMatrix(Dynamics dynamics, NDArray bRe, NDArray bIm) {
        long n = dynamics.decay().getShape().get(0);
        NDArray sr = dynamics.scaleRe().reshape(n, 1);
        if (dynamics.scaleIm() == null) {
            return bRe.expandDims(1).concat(bIm.expandDims(1), 1).mul(sr.expandDims(2));
        }
        NDArray si = dynamics.scaleIm().reshape(n, 1);
        NDArray re = bRe.mul(sr).sub(bIm.mul(si));
        NDArray im = bIm.mul(sr).add(bRe.mul(si));
        return re.expandDims(1).concat(im.expandDims(1), 1);
    }

    /**
     * The output matrix of {@code Re(C x) = C_re x_re - C_im x_im}, shape {@code (features, 2 *
     * state)}: columns {@code (state, re/im)} interleaved like the rows of {@link #inputMatrix}.
     *
     * @param cRe the real part of {@code C}, {@code (features, state)}
     * @param cIm the imaginary part of {@code C}, {@code (features, state)}
     * @return the matrix
     */
    static NDArray outputMatrix(NDArray cRe, NDArray cIm) {
        Shape shape = cRe.getShape();
        return cRe.expandDims(2)
                .concat(cIm.neg().expandDims(2), 2)
                .reshape(shape.get(0), 2 * shape.get(1));
    }

    /**
     * The state as the scan lays it out, {@code (state, 2, batch)}: a view owned by the input's
     * manager. DJL attaches the result of an operation to the manager of the array it is called on,
     * so without it the view would stay on the state's manager.
     */
    private static NDArray scanLayout(NDArray state, NDArray input) {
        if (state == null) {
            return null;
        }
        NDArray view = state.transpose(2, 1, 0);
        view.attach(input.getManager());
        return view;
    }

    /**
     * The discrete system of the states as the scan needs it, computed by a family from its
     * parameters ({@link AbstractDiagonalSsm#dynamics}): {@code lambda = exp(-decay + i frequency)}
     * and the complex input scale {@code s} per state.
     *
     * @param decay {@code -log|lambda|}, shape {@code (state)}, positive
     * @param frequency {@code arg(lambda)}, shape {@code (state)}
     * @param scaleRe the real part of {@code s}, shape {@code (state)}
     * @param scaleIm the imaginary part of {@code s}, shape {@code (state)}, or {@code null} for a
     *     real scale
     */
    record Dynamics(NDArray decay, NDArray frequency, NDArray scaleRe, NDArray scaleIm) {}
}
