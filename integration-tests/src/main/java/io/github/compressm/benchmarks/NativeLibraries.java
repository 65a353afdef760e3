package io.github.compressm.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The native libraries a process actually mapped, read from its {@code /proc/PID/maps} (Linux), and
 * the environment variables that set BLAS and OpenMP threads.
 */
final class NativeLibraries {

    private static final Pattern BLAS =
            Pattern.compile("(blas|lapack|mkl|blis|atlas)", Pattern.CASE_INSENSITIVE);

    private static final Pattern OPENMP =
            Pattern.compile("^lib(gomp|iomp5|omp)\\b", Pattern.CASE_INSENSITIVE);

    private static final List<String> THREAD_VARIABLES =
            List.of("OPENBLAS_", "GOTO_", "OMP_", "MKL_", "BLIS_", "KMP_");

    /** The name of a BLAS that could not be found among the mapped files. */
    static final String NO_BLAS = "none mapped (linked statically, or not loaded)";

    private NativeLibraries() {}

    /**
     * The files of a maps listing, each once, in the order of their first mapping.
     *
     * @param mapsLines the lines of {@code /proc/PID/maps}: address, permissions, offset, device,
     *     inode and, for file mappings, the path
     * @return the mapped files' absolute paths
     */
    static List<String> mappedFiles(List<String> mapsLines) {
        Set<String> files = new LinkedHashSet<>();
        for (String line : mapsLines) {
            String[] fields = line.trim().split("\\s+", 6);
            if (fields.length == 6 && fields[5].startsWith("/")) {
                files.add(fields[5].replaceFirst(" \\(deleted\\)$", ""));
            }
        }
        return new ArrayList<>(files);
    }

    /**
     * The BLAS and LAPACK libraries among mapped files.
     *
     * @param files mapped files' paths
     * @return those whose file name names a BLAS, LAPACK, MKL, BLIS or ATLAS
     */
    static List<String> blas(List<String> files) {
        return files.stream().filter(f -> BLAS.matcher(fileName(f)).find()).toList();
    }

    /**
     * The OpenMP runtimes among mapped files.
     *
     * @param files mapped files' paths
     * @return GNU, Intel and LLVM OpenMP libraries
     */
    static List<String> openMp(List<String> files) {
        return files.stream().filter(f -> OPENMP.matcher(fileName(f)).find()).toList();
    }

    /**
     * The BLAS implementation behind mapped BLAS libraries: the one that provides {@code
     * libblas.so} if one is mapped (its matrix products are the ones a generic-BLAS build calls,
     * even when another implementation's LAPACK is mapped beside it), else any mapped one.
     *
     * @param blasFiles the mapped BLAS and LAPACK libraries
     * @return {@code OpenBLAS}, {@code MKL}, {@code BLIS}, {@code ATLAS}, {@code reference BLAS}
     *     (Netlib, as Debian's {@code libblas3}), {@code unknown BLAS} or {@link #NO_BLAS}
     */
    static String implementation(List<String> blasFiles) {
        List<String> libblas =
                blasFiles.stream().filter(f -> fileName(f).startsWith("libblas.so")).toList();
        List<String> deciding = libblas.isEmpty() ? blasFiles : libblas;
        String all = String.join("\n", deciding).toLowerCase(Locale.ROOT);
        if (all.contains("openblas")) {
            return "OpenBLAS";
        } else if (all.contains("mkl")) {
            return "MKL";
        } else if (all.contains("blis")) {
            return "BLIS";
        } else if (all.contains("atlas")) {
            return "ATLAS";
        } else if (libblas.stream().anyMatch(f -> f.contains("/blas/libblas.so"))) {
            return "reference BLAS";
        }
        return blasFiles.isEmpty() ? NO_BLAS : "unknown BLAS";
    }

    /**
     * The thread settings in an environment.
     *
     * @param environment a process's environment
     * @return the variables starting with {@code OPENBLAS_}, {@code GOTO_}, {@code OMP_}, {@code
     *     MKL_}, {@code BLIS_} or {@code KMP_}, sorted by name
     */
    static Map<String, String> threadEnvironment(Map<String, String> environment) {
        Map<String, String> out = new TreeMap<>();
        environment.forEach(
                (name, value) -> {
                    if (THREAD_VARIABLES.stream().anyMatch(name::startsWith)) {
                        out.put(name, value);
                    }
                });
        return out;
    }

    /**
     * Reads the mapped files of a running process.
     *
     * @param pid the process id
     * @return its mapped files, empty if {@code /proc/PID/maps} cannot be read (not Linux)
     */
    static List<String> ofProcess(long pid) {
        try {
            return mappedFiles(Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps")));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
