package io.github.compressm.examples.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.testng.SkipException;
import org.testng.annotations.Test;

/**
 * The peak resident memory probe: its reading of the status text and its reset on given files, the
 * kernel's guarantees on this process, and (group {@code long}, profile {@code long-tests}) the
 * size of a tensor seen in the peak.
 */
public class PeakResidentMemoryTest {

    private static final double TENSOR_MB = 256;

    @Test
    public void theStatusTextsPeakLineIsReadInKilobytes() {
        List<String> status =
                List.of(
                        "Name:\tjava",
                        "VmPeak:\t 9000000 kB",
                        "VmHWM:\t  524800 kB",
                        "VmRSS:\t  400000 kB");
        assertEquals(PeakResidentMemory.parseKilobytes(status), 524800);
        assertEquals(PeakResidentMemory.parseKilobytes(List.of("VmHWM: 7 kB")), 7);
        for (String bad : new String[] {"VmHWM:", "VmHWM: 12", "VmHWM: 12 MB", "VmHWM: x kB"}) {
            assertEquals(PeakResidentMemory.parseKilobytes(List.of(bad)), -1, bad);
        }
        assertEquals(PeakResidentMemory.parseKilobytes(List.of("VmRSS:\t 1 kB")), -1);
    }

    @Test
    public void aProbeReadsMegabytesAndResetsThroughItsFiles() throws IOException {
        Path dir = Files.createTempDirectory("compressm-proc");
        try {
            Path status = dir.resolve("status");
            Path clearRefs = dir.resolve("clear_refs");
            Files.writeString(
                    status, "Name:\tjava\nVmHWM:\t  2560 kB\n", StandardCharsets.US_ASCII);
            PeakResidentMemory probe = new PeakResidentMemory(status, clearRefs);
            assertTrue(probe.isSupported());
            assertEquals(Files.readString(clearRefs), "5", "creating the probe resets the peak");
            assertEquals(probe.readMegabytes().orElseThrow(), 2.5, 0);
            Files.writeString(status, "VmHWM:\t  1048576 kB\n", StandardCharsets.US_ASCII);
            assertEquals(probe.readMegabytes().orElseThrow(), 1024, 0);
            Files.writeString(status, "VmHWM:\t  gone\n", StandardCharsets.US_ASCII);
            assertEquals(probe.readMegabytes(), OptionalDouble.empty());

            Files.delete(clearRefs);
            assertTrue(probe.reset());
            assertEquals(Files.readString(clearRefs), "5");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    public void withoutReadableFilesTheProbeIsUnsupported() throws IOException {
        Path dir = Files.createTempDirectory("compressm-proc");
        try {
            PeakResidentMemory missing =
                    new PeakResidentMemory(dir.resolve("status"), dir.resolve("clear_refs"));
            assertFalse(missing.isSupported());
            assertEquals(missing.readMegabytes(), OptionalDouble.empty());
            // A status file but no writable clear_refs (here a directory): no reset, unsupported.
            Path status = dir.resolve("status");
            Files.writeString(status, "VmHWM:\t 10 kB\n", StandardCharsets.US_ASCII);
            PeakResidentMemory readOnly = new PeakResidentMemory(status, dir);
            assertFalse(readOnly.isSupported());
            assertEquals(readOnly.readMegabytes(), OptionalDouble.empty());
            Files.delete(status);
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    public void onThisProcessThePeakNeverFallsWithoutAReset() {
        PeakResidentMemory probe = supportedProbe();
        try (NDManager manager = NDManager.newBaseManager()) {
            double first = probe.readMegabytes().orElseThrow();
            try (NDArray ones = manager.ones(new Shape(1 << 22))) {
                assertTrue(ones.sum().getFloat() > 0);
            }
            double second = probe.readMegabytes().orElseThrow();
            assertTrue(second >= first, "peak " + second + " MB after " + first + " MB");
            assertTrue(probe.reset());
            double reset = probe.readMegabytes().orElseThrow();
            assertTrue(reset > 0, "the current resident memory");
        }
    }

    /** Machine-dependent (the allocator must return the freed tensor to the system). */
    @Test(groups = "long")
    public void peakSeesANativeTensorAndResetForgetsIt() {
        PeakResidentMemory probe = supportedProbe();
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

    private static PeakResidentMemory supportedProbe() {
        PeakResidentMemory probe = new PeakResidentMemory();
        if (!probe.isSupported()) {
            throw new SkipException("no /proc/self/status and clear_refs on this system");
        }
        return probe;
    }
}
