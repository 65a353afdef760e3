package io.github.compressm.ssm.generation;

import ai.djl.nn.Block;
import java.util.Optional;

/**
 * Makes the {@link StepKernel} of the SSM blocks of one family, from their trained parameters.
 * {@link JvmStepModel} asks the built-in factories of the diagonal layers ({@link
 * DiagonalStepKernel#FACTORY}) and of Mamba-2 ({@link Mamba2StepKernel#FACTORY}), and then every
 * factory listed under {@code
 * META-INF/services/io.github.compressm.ssm.generation.StepKernelFactory} ({@link
 * java.util.ServiceLoader}); the first that accepts a block makes its kernel.
 */
public interface StepKernelFactory {

    /**
     * Makes the kernel of a trained SSM block, reading its parameters once.
     *
     * @param ssm the SSM block of a residual layer, initialised or with its metadata loaded
     * @param values where the block's parameter values are read from
     * @return the kernel, or empty if this factory does not handle the block
     */
    Optional<StepKernel> create(Block ssm, ParameterValues values);
}
