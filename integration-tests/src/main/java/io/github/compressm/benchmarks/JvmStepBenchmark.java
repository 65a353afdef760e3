package io.github.compressm.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.github.compressm.examples.training.SsmFamily;
import io.github.compressm.ssm.SsmModels;
import io.github.compressm.ssm.SsmResidualBlock;
import io.github.compressm.ssm.generation.DiagonalStepKernel;
import io.github.compressm.ssm.generation.JvmStepModel;
import io.github.compressm.ssm.generation.Mamba2StepKernel;
import io.github.compressm.ssm.generation.ParameterValues;
import io.github.compressm.ssm.generation.StepKernel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where a JVM generation step's time goes: one step of a whole {@link JvmStepModel} (embedding, the
 * residual layers, the head; {@code step}) and one step of the first layer's SSM kernel alone
 * ({@code kernel}: {@code B u}, the state update and {@code C x} of a diagonal layer, or a Mamba-2
 * layer's projections, convolution, update and readout). A step of the model less {@code layers}
 * kernel steps is what the rest costs: the norms, GELU, the GLUs and skips, the embedding and the
 * head. The model is the benchmark's char-LM ({@link GenerationBenchmark}) with random parameters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dai.djl.offline=true"})
public class JvmStepBenchmark {

    /** The SSM layer, a {@link SsmFamily} name. */
    @Param({"LRU", "MAMBA2"})
    public String ssm;

    /** The state size. */
    @Param({"64", "256"})
    public int stateSize;

    /** Features of the residual layers. */
    @Param("64")
    public int features;

    /** Residual layers. */
    @Param("4")
    public int layers;

    /** Characters. */
    @Param("96")
    public int vocabulary;

    private JvmStepModel.Session session;
    private StepKernel.Stepper kernel;
    private float[] input;
    private float[] output;
    private int token;

    /** Builds the model, its session and the first layer's kernel with its arrays. */
    @Setup(Level.Trial)
    public void setUp() {
        SsmFamily family = SsmFamily.valueOf(ssm);
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock model =
                    SsmModels.builder()
                            .setHiddenSize(features)
                            .setStateSize(stateSize)
                            .optSsmFactory(i -> family.build(stateSize))
                            .setOutputs(vocabulary)
                            .optLayers(layers)
                            .optDropout(0f)
                            .optTokenVocabulary(vocabulary)
                            .buildSequenceToSequence();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
            session = JvmStepModel.of(model).newSession();
            Block ssmBlock = ((SsmResidualBlock) model.getChildren().get(1).getValue()).getSsm();
            ParameterValues values = ParameterValues.ofArrays();
            StepKernel first =
                    DiagonalStepKernel.FACTORY
                            .create(ssmBlock, values)
                            .or(() -> Mamba2StepKernel.FACTORY.create(ssmBlock, values))
                            .orElseThrow();
            kernel = first.newStepper();
        }
        input = new float[features];
        Random random = new Random(8);
        for (int i = 0; i < features; i++) {
            input[i] = (float) random.nextGaussian();
        }
        output = new float[features];
        // Past the zero state, with the values a running sequence has.
        for (int t = 0; t < 100; t++) {
            session.step(t % vocabulary);
            kernel.step(input, output);
        }
    }

    /**
     * One step of the whole model.
     *
     * @return the logits, for JMH to consume
     */
    @Benchmark
    public float[] step() {
        token = (token + 1) % vocabulary;
        return session.step(token);
    }

    /**
     * One step of the first layer's SSM kernel alone.
     *
     * @return the output, for JMH to consume
     */
    @Benchmark
    public float[] kernel() {
        kernel.step(input, output);
        return output;
    }
}
