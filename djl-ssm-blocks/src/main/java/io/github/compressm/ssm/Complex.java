package io.github.compressm.ssm;

/**
 * An immutable complex number in double precision: one entry of a {@link DiagonalRealization} (an
 * eigenvalue, an entry of {@code B} or of {@code C}), as returned by its complex views.
 *
 * @param re the real part
 * @param im the imaginary part
 */
public record Complex(double re, double im) {

    /**
     * Returns the modulus.
     *
     * @return {@code |z| = hypot(re, im)}
     */
    public double abs() {
        return Math.hypot(re, im);
    }

    /**
     * Returns the product with another complex number.
     *
     * @param other the other factor
     * @return {@code this * other}
     */
    public Complex times(Complex other) {
        return new Complex(re * other.re - im * other.im, re * other.im + im * other.re);
    }

    /**
     * Returns the reciprocal.
     *
     * @return {@code 1 / this}
     */
    public Complex reciprocal() {
        double norm = re * re + im * im;
        return new Complex(re / norm, -im / norm);
    }

    /**
     * Returns the number as {@code a + bi} or {@code a - bi}.
     *
     * @return the real part, the sign and modulus of the imaginary part, and {@code i}
     */
    @Override
    public String toString() {
        return re + (im < 0 ? " - " : " + ") + Math.abs(im) + "i";
    }
}
