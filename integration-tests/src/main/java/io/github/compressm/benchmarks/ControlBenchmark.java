package io.github.compressm.benchmarks;

import io.github.compressm.control.HankelAnalysis;
import io.github.compressm.control.Reduction;
import io.github.compressm.control.SystemReducer;
import io.github.compressm.control.TruncationRule;
import io.github.compressm.control.linalg.LinearAlgebraBackend;
import io.github.compressm.ssm.DiagonalRealization;
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
 * Time of the control math for one LRU layer: the Hankel singular value analysis alone, and the
 * whole check-and-reduce step a training listener runs (analysis, tolerance order at {@code tau},
 * state count, balanced truncation back to a diagonal layer).
 *
 * <p>The layer is a random LRU initialisation built directly in double precision (no NDArray):
 * moduli in {@code [0.9, 0.999]}, phases in {@code [0, 2 pi)}, {@code B ~ N(0, 1/(2H))} times
 * {@code gamma = sqrt(1 - |lambda|^2)}, {@code C ~ N(0, 1/n)}, fixed seed. Iterations are one
 * second each, so the {@code n = 1024} cases (tens of seconds per call) run one call per iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class ControlBenchmark {

    /** Complex states of the layer (real order {@code 2n}). */
    @Param({"64", "256", "1024"})
    public int stateSize;

    /** Input and output features. */
    @Param({"8", "64"})
    public int features;

    /**
     * The dense kernels: native OpenBLAS/LAPACK or pure-Java EJML ({@link
     * LinearAlgebraBackend#PROPERTY}); each parameter combination runs in its own forked JVM, so
     * the property is set before the control code first loads.
     */
    @Param({"openblas", "java"})
    public String linalg;

    /** Fraction of Hankel energy that may be discarded. */
    @Param("0.05")
    public double tau;

    private final SystemReducer reducer = new SystemReducer();
    private TruncationRule rule;
    private DiagonalRealization layer;

    /** Builds the random layer. */
    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty(LinearAlgebraBackend.PROPERTY, linalg);
        LinearAlgebraBackend expected =
                linalg.equals("java") ? LinearAlgebraBackend.EJML : LinearAlgebraBackend.OPENBLAS;
        if (LinearAlgebraBackend.active() != expected) {
            throw new IllegalStateException(
                    "Wanted the " + expected + " kernels, got " + LinearAlgebraBackend.active());
        }
        layer = randomLru(new Random(42), stateSize, features, 0.9, 0.999);
        rule = TruncationRule.builder().optTolerance(tau).build();
    }

    /**
     * Gramians and Hankel singular values.
     *
     * @return the analysis
     */
    @Benchmark
    public HankelAnalysis analyse() {
        return reducer.analyse(layer);
    }

    /**
     * Analysis, the truncation rule's order and the reduction: one compression check that reduces.
     *
     * @return the reduction
     */
    @Benchmark
    public Reduction analyseStateCountReduce() {
        HankelAnalysis analysis = reducer.analyse(layer);
        int order = rule.decide(analysis, stateSize).getOrder();
        return reducer.reduce(analysis, order, rule.getSelectionMode(), null);
    }

    /**
     * Returns a random LRU-initialised layer as a diagonal realisation.
     *
     * @param rnd the random source
     * @param n complex states
     * @param features inputs and outputs
     * @param rmin smallest eigenvalue modulus
     * @param rmax largest eigenvalue modulus
     * @return the realisation
     */
    static DiagonalRealization randomLru(
            Random rnd, int n, int features, double rmin, double rmax) {
        double[] lr = new double[n];
        double[] li = new double[n];
        double[][] br = new double[n][features];
        double[][] bi = new double[n][features];
        double[][] cr = new double[features][n];
        double[][] ci = new double[features][n];
        double sb = Math.sqrt(1.0 / (2 * features));
        for (int k = 0; k < n; k++) {
            double mod = Math.sqrt(rnd.nextDouble() * (rmax * rmax - rmin * rmin) + rmin * rmin);
            double phase = 2 * Math.PI * rnd.nextDouble();
            lr[k] = mod * Math.cos(phase);
            li[k] = mod * Math.sin(phase);
            double gamma = Math.sqrt(1 - mod * mod);
            for (int j = 0; j < features; j++) {
                br[k][j] = gamma * sb * rnd.nextGaussian();
                bi[k][j] = gamma * sb * rnd.nextGaussian();
            }
            for (int o = 0; o < features; o++) {
                cr[o][k] = rnd.nextGaussian() / Math.sqrt(n);
                ci[o][k] = rnd.nextGaussian() / Math.sqrt(n);
            }
        }
        return new DiagonalRealization(lr, li, br, bi, cr, ci);
    }
}
