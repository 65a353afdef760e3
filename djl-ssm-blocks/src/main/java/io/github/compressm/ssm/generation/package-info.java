/**
 * Step-wise generation with trained sequence-to-sequence token models: a {@link
 * io.github.compressm.ssm.generation.TokenGenerator} reads a prompt once and then one token per
 * step with the SSM states carried. Two paths compute a step: {@link
 * io.github.compressm.ssm.generation.DjlGenerator} runs the model's forward pass in the DJL engine
 * (any model, any device, batches of prompts), and {@link
 * io.github.compressm.ssm.generation.JvmStepModel} with {@link
 * io.github.compressm.ssm.generation.JvmGenerator} runs it as loops over float arrays on the JVM
 * that the JIT compiles to vector instructions, without allocating, so a step costs its arithmetic.
 * A family of SSM layers joins the JVM path with a {@link
 * io.github.compressm.ssm.generation.StepKernel} made by a {@link
 * io.github.compressm.ssm.generation.StepKernelFactory}.
 */
package io.github.compressm.ssm.generation;
