package io.github.compressm.ssm.generation;

/**
 * The matrix-vector product of the step kernels, written so that the JIT compiles it to vector
 * instructions: the matrix is held as one array per input (a row of the outputs it feeds), and the
 * product adds scaled rows to the output in an inner loop over arrays indexed from 0, without a
 * reduction. (HotSpot's C2 of Java 17 does not vectorise a loop whose array index carries a
 * loop-invariant offset, such as {@code w[row + o]} into one flat matrix, so every vectorised loop
 * here runs over whole arrays from index 0.) Four rows go into one pass, so the output is loaded
 * and stored once per four inputs, and the inner loop is entered a quarter as often.
 */
final class FloatLoops {

    private FloatLoops() {}

    /**
     * Adds {@code W^T u} to {@code out}: {@code out[o] += sum_j u[inOffset + j] w[j][o]} for {@code
     * o < cols}, {@code j < w.length}.
     *
     * @param w the matrix, one array of at least {@code cols} floats per input
     * @param u the input vector
     * @param inOffset the first input in {@code u}
     * @param out the accumulated outputs, at least {@code cols}
     * @param cols the number of outputs
     */
    static void addProduct(float[][] w, float[] u, int inOffset, float[] out, int cols) {
        int rows = w.length;
        int j = 0;
        for (; j + 3 < rows; j += 4) {
            float u0 = u[inOffset + j];
            float u1 = u[inOffset + j + 1];
            float u2 = u[inOffset + j + 2];
            float u3 = u[inOffset + j + 3];
            float[] r0 = w[j];
            float[] r1 = w[j + 1];
            float[] r2 = w[j + 2];
            float[] r3 = w[j + 3];
            for (int o = 0; o < cols; o++) {
                out[o] += u0 * r0[o] + u1 * r1[o] + (u2 * r2[o] + u3 * r3[o]);
            }
        }
        for (; j < rows; j++) {
            float u0 = u[inOffset + j];
            float[] r0 = w[j];
            for (int o = 0; o < cols; o++) {
                out[o] += u0 * r0[o];
            }
        }
    }

    /**
     * Splits rows {@code [fromRow, toRow)} of a row-major matrix into columns: {@code result[c][r -
     * fromRow] = matrix[r * cols + c]}, the layout of {@link #addProduct} for (part of) a DJL
     * {@code Linear} weight, {@code outputs x inputs}.
     *
     * @param matrix the matrix, row-major with {@code cols} columns
     * @param cols its columns
     * @param fromRow the first row
     * @param toRow the end of the rows
     * @return one array per column
     */
    static float[][] columns(float[] matrix, int cols, int fromRow, int toRow) {
        float[][] t = new float[cols][toRow - fromRow];
        for (int r = fromRow; r < toRow; r++) {
            for (int c = 0; c < cols; c++) {
                t[c][r - fromRow] = matrix[r * cols + c];
            }
        }
        return t;
    }
}
