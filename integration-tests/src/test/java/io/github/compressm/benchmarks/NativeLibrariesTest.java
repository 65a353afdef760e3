package io.github.compressm.benchmarks;

import java.util.List;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Reading a process's BLAS from memory-map lines, as Linux writes them. */
public class NativeLibrariesTest {

    private static final String OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-pthread/";

    private static final List<String> MAPS =
            List.of(
                    "55d0c7a00000-55d0c7a6e000 r--p 00000000 08:01 1835   /usr/bin/python3.11",
                    "55d0c9000000-55d0c9400000 rw-p 00000000 00:00 0      [heap]",
                    "7f1c00000000-7f1c00021000 rw-p 00000000 00:00 0 ",
                    "7f1c10000000-7f1c10100000 r--p 00000000 08:01 4242   "
                            + OPENBLAS_DIR
                            + "libblas.so.3",
                    "7f1c10100000-7f1c10200000 r-xp 00100000 08:01 4242   "
                            + OPENBLAS_DIR
                            + "libblas.so.3",
                    "7f1c20000000-7f1c22000000 r-xp 00000000 08:01 4243   "
                            + OPENBLAS_DIR
                            + "libopenblasp-r0.3.21.so",
                    "7f1c30000000-7f1c30040000 r-xp 00000000 08:01 77     "
                            + "/usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0",
                    "7f1c40000000-7f1c40001000 r--p 00000000 08:01 99     "
                            + "/tmp/a dir/lru_peer_driver.py (deleted)",
                    "7f1c50000000-7f1c50100000 r-xp 00000000 08:01 12     "
                            + "/usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13",
                    "7ffc1e1f0000-7ffc1e211000 rw-p 00000000 00:00 0      [stack]");

    @Test
    public void mappedFilesAreListedOnceWithSpacesAndWithoutTheDeletedMark() {
        Assert.assertEquals(
                NativeLibraries.mappedFiles(MAPS),
                List.of(
                        "/usr/bin/python3.11",
                        OPENBLAS_DIR + "libblas.so.3",
                        OPENBLAS_DIR + "libopenblasp-r0.3.21.so",
                        "/usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0",
                        "/tmp/a dir/lru_peer_driver.py",
                        "/usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13"));
    }

    @Test
    public void blasAndOpenMpAreFoundByFileName() {
        List<String> files = NativeLibraries.mappedFiles(MAPS);
        List<String> blas = NativeLibraries.blas(files);
        Assert.assertEquals(
                blas,
                List.of(OPENBLAS_DIR + "libblas.so.3", OPENBLAS_DIR + "libopenblasp-r0.3.21.so"));
        Assert.assertEquals(NativeLibraries.implementation(blas), "OpenBLAS");
        Assert.assertEquals(
                NativeLibraries.openMp(files),
                List.of("/usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0"));
    }

    @Test
    public void theImplementationIsNamedFromItsPath() {
        Assert.assertEquals(
                NativeLibraries.implementation(
                        List.of("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0")),
                "reference BLAS");
        Assert.assertEquals(
                NativeLibraries.implementation(List.of("/opt/intel/lib/libmkl_rt.so.2")), "MKL");
        Assert.assertEquals(
                NativeLibraries.implementation(
                        List.of("/usr/lib/x86_64-linux-gnu/blis-pthread/libblas.so.3")),
                "BLIS");
        Assert.assertEquals(
                NativeLibraries.implementation(List.of("/usr/lib/x86_64-linux-gnu/libblas.so.3")),
                "unknown BLAS");
        Assert.assertEquals(NativeLibraries.implementation(List.of()), NativeLibraries.NO_BLAS);
    }

    @Test
    public void theLibraryBehindLibblasDecidesEvenBesideAnotherLapack() {
        // Debian's reference libblas.so.3 ahead on the library path, OpenBLAS's LAPACK selected.
        List<String> mixed =
                List.of(
                        OPENBLAS_DIR + "libopenblasp-r0.3.21.so",
                        OPENBLAS_DIR + "liblapack.so.3",
                        "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0");
        Assert.assertEquals(NativeLibraries.implementation(mixed), "reference BLAS");
        Assert.assertEquals(
                NativeLibraries.implementation(List.of(OPENBLAS_DIR + "libopenblasp-r0.3.21.so")),
                "OpenBLAS");
    }

    @Test
    public void onlyThreadVariablesAreKeptSorted() {
        Map<String, String> env =
                Map.of(
                        "PATH", "/usr/bin",
                        "OPENBLAS_NUM_THREADS", "2",
                        "OMP_NUM_THREADS", "1",
                        "MKL_NUM_THREADS", "4",
                        "HOME", "/root",
                        "XOMP_FAKE", "x");
        Assert.assertEquals(
                List.copyOf(NativeLibraries.threadEnvironment(env).entrySet()),
                List.copyOf(
                        new java.util.TreeMap<>(
                                        Map.of(
                                                "MKL_NUM_THREADS", "4",
                                                "OMP_NUM_THREADS", "1",
                                                "OPENBLAS_NUM_THREADS", "2"))
                                .entrySet()));
    }

    @Test
    public void aProcessThatCannotBeReadHasNoFiles() {
        Assert.assertEquals(NativeLibraries.ofProcess(-1), List.of());
    }

    @Test
    public void thisProcessMapsItsOwnJavaRuntime() {
        List<String> files = NativeLibraries.ofProcess(ProcessHandle.current().pid());
        if (!files.isEmpty()) {
            Assert.assertTrue(
                    files.stream().anyMatch(f -> f.contains("libjvm.so")), files.toString());
        }
    }
}
