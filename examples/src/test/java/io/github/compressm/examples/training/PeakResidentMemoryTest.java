package io.github.compressm.examples.training;

import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.testng.SkipException;
import org.testng.annotations.Test;

/** The peak resident memory probe against a tensor of known size. */
public class PeakResidentMemoryTest {

    private static final double TENSOR_MB = 256;

    @Test
    public void peakSeesANativeTensorAndResetForgetsIt() {
        PeakResidentMemory probe = new PeakResidentMemory();
        if (!probe.isSupported()) {
            throw new SkipException("no /proc/self/status and clear_refs on this system");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            probe.reset();
            double before = probe.readMegabytes().orElseThrow();
            try (NDArray ones = manager.ones(new Shape((long) (TENSOR_MB * 1024 * 1024 / 4)))) {
                assertTrue(ones.sum().getFloat() > 0);
            }
            double withTensor = probe.readMegabytes().orElseThrow();
            assertTrue(
                    withTensor >= before + 0.9 * TENSOR_MB,
                    "peak " + withTensor + " MB after a " + TENSOR_MB + " MB tensor, " + before);
            probe.reset();
            double after = probe.readMegabytes().orElseThrow();
            assertTrue(
                    after <= withTensor - 0.5 * TENSOR_MB,
                    "peak " + after + " MB after reset, freed tensor; before reset " + withTensor);
        }
    }
}
