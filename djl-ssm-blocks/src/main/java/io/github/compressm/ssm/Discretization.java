package io.github.compressm.ssm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.compressm.ssm.DiagonalScanLayout.Dynamics;

/**
 * How a continuous-time diagonal system {@code (Lambda, B)} with time step {@code Delta} becomes
 * the discrete system {@code (lambda, s B)} a layer runs ({@link S5}). Every form maps the open
 * left half plane into the unit disc, so a stable continuous system stays stable.
 */
public enum Discretization {

    /**
     * Zero-order hold, S5's default: {@code lambda = exp(Delta Lambda)}, {@code s = (lambda - 1) /
     * Lambda}.
     */
    ZERO_ORDER_HOLD {
        @Override
        Dynamics dynamics(NDArray a, NDArray omega, NDArray step) {
            // (lambda - 1) / Lambda = (p + i q) (-a - i omega) / (a^2 + omega^2).
            NDArray decay = a.mul(step);
            NDArray frequency = omega.mul(step);
            NDArray modulus = decay.neg().exp();
            NDArray p = modulus.mul(frequency.cos()).sub(1);
            NDArray q = modulus.mul(frequency.sin());
            NDArray norm = a.square().add(omega.square());
            return new Dynamics(
                    decay,
                    frequency,
                    omega.mul(q).sub(a.mul(p)).div(norm),
                    a.mul(q).add(omega.mul(p)).neg().div(norm));
        }

        @Override
        Complex[] discretize(Complex lambda, double step) {
            double modulus = Math.exp(step * lambda.re());
            double phase = step * lambda.im();
            Complex discrete = new Complex(modulus * Math.cos(phase), modulus * Math.sin(phase));
            Complex scale =
                    new Complex(discrete.re() - 1, discrete.im()).times(lambda.reciprocal());
            return new Complex[] {discrete, scale};
        }

        @Override
        Complex continuous(double modulus, double phase, double step) {
            return new Complex(Math.log(modulus) / step, phase / step);
        }
    },

    /**
     * The bilinear (Tustin) transform: {@code lambda = (1 + Delta Lambda / 2) / (1 - Delta Lambda /
     * 2)}, {@code s = Delta / (1 - Delta Lambda / 2)}.
     */
    BILINEAR {
        @Override
        Dynamics dynamics(NDArray a, NDArray omega, NDArray step) {
            // z = Delta Lambda / 2; lambda = (1 + z) (1 - conj z) / |1 - z|^2.
            // The constant factors are arrays the engine owns: DJL turns a Java number operand into
            // an array over a Java buffer and frees it after the operation, while a product keeps
            // its operands for the backward pass, which then read freed memory.
            NDArray half = a.getManager().full(new Shape(), 0.5f, a.getDataType(), a.getDevice());
            NDArray zr = a.mul(step).mul(half).neg();
            NDArray zi = omega.mul(step).mul(half);
            NDArray ziSquared = zi.square();
            NDArray plus = zr.add(1).square().add(ziSquared);
            NDArray minus = zr.neg().add(1).square().add(ziSquared);
            return new Dynamics(
                    minus.log().sub(plus.log()).mul(half),
                    zi.add(zi).atan2(zr.square().add(ziSquared).neg().add(1)),
                    step.mul(zr.neg().add(1)).div(minus),
                    step.mul(zi).div(minus));
        }

        @Override
        Complex[] discretize(Complex lambda, double step) {
            Complex half = new Complex(step * lambda.re() / 2, step * lambda.im() / 2);
            Complex inverse = new Complex(1 - half.re(), -half.im()).reciprocal();
            Complex discrete = new Complex(1 + half.re(), half.im()).times(inverse);
            return new Complex[] {discrete, new Complex(step * inverse.re(), step * inverse.im())};
        }

        @Override
        Complex continuous(double modulus, double phase, double step) {
            // (2 / Delta) (lambda - 1) / (lambda + 1) = (2 / Delta) (r^2 - 1 + 2 i r sin(phase))
            // / |lambda + 1|^2.
            double norm = 1 + 2 * modulus * Math.cos(phase) + modulus * modulus;
            return new Complex(
                    -2 * (1 - modulus) * (1 + modulus) / (step * norm),
                    4 * modulus * Math.sin(phase) / (step * norm));
        }
    };

    /**
     * The discrete dynamics of {@code Lambda = -a + i omega} as differentiable operations.
     *
     * @param a {@code -Re Lambda}, positive
     * @param omega {@code Im Lambda}
     * @param step {@code Delta}, positive
     */
    abstract Dynamics dynamics(NDArray a, NDArray omega, NDArray step);

    /**
     * The discrete eigenvalue and input scale of one state, in double precision.
     *
     * @return {@code {lambda, s}}
     */
    abstract Complex[] discretize(Complex lambda, double step);

    /**
     * The inverse: the continuous eigenvalue whose discrete one is {@code modulus exp(i phase)},
     * with negative real part for {@code modulus < 1}.
     */
    abstract Complex continuous(double modulus, double phase, double step);
}
