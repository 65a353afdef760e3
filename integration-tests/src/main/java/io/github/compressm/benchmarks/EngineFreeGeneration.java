package io.github.compressm.benchmarks;

import io.github.compressm.ssm.generation.JvmGenerator;
import io.github.compressm.ssm.generation.JvmStepModel;
import io.github.compressm.ssm.serving.CharVocabulary;
import io.github.compressm.ssm.serving.StepModelLoader;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The peak resident memory of an engine-free serving process: a child JVM whose class path holds
 * this library's blocks, DJL's {@code api} and its few dependencies but no engine and no native
 * library loads a saved language model with {@link StepModelLoader}, generates with it on the JVM
 * and reports its Linux {@code VmHWM} ({@code /proc/self/status}), the high-water mark of its
 * resident memory over its whole life: the JVM, the loaded model and the generation.
 */
public final class EngineFreeGeneration {

    private static final String PEAK_FIELD = "VmHWM:";
    private static final String ANSWER = "peak-kB ";

    private EngineFreeGeneration() {}

    /**
     * The child's entry point: {@code modelDir promptLength tokens repeats}. Prints {@code peak-kB
     * <n>} on its standard output ({@code -1} where {@code /proc} cannot be read).
     *
     * @param args the model directory, the prompt's length, the characters per generation and the
     *     number of generations
     * @throws Exception if the model cannot be loaded
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int promptLength = Integer.parseInt(args[1]);
        int tokens = Integer.parseInt(args[2]);
        int repeats = Integer.parseInt(args[3]);
        JvmStepModel model = StepModelLoader.load(dir);
        CharVocabulary vocabulary = StepModelLoader.vocabulary(dir);
        int[] prompt = new int[promptLength];
        for (int i = 0; i < promptLength; i++) {
            prompt[i] = (i * 7) % vocabulary.size();
        }
        JvmGenerator generator = new JvmGenerator(model, 0, 0);
        int checksum = 0;
        for (int r = 0; r < repeats; r++) {
            checksum += vocabulary.decode(generator.continueFrom(prompt, tokens)).hashCode();
        }
        System.out.println("generated checksum " + checksum);
        System.out.println(ANSWER + peakKilobytes());
    }

    /**
     * Runs the child on a saved model and returns its peak resident memory.
     *
     * @param modelDir the directory written by {@code ModelExport.save}
     * @param javaOptions the child JVM's options (heap, collector)
     * @param promptLength the prompt's length
     * @param tokens the characters per generation
     * @param repeats the number of generations
     * @return the peak in megabytes, or {@code null} where the child cannot read it
     * @throws IOException if the child cannot start or fails
     */
    static Double peakMegabytes(
            Path modelDir, List<String> javaOptions, int promptLength, int tokens, int repeats)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-Dai.djl.offline=true");
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath()));
        command.add(EngineFreeGeneration.class.getName());
        command.add(modelDir.toString());
        command.add(Integer.toString(promptLength));
        command.add(Integer.toString(tokens));
        command.add(Integer.toString(repeats));
        Process process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        }
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("the engine-free child on " + modelDir + " failed: " + lines);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the engine-free child", e);
        }
        for (String line : lines) {
            if (line.startsWith(ANSWER)) {
                long kb = Long.parseLong(line.substring(ANSWER.length()).trim());
                return kb < 0 ? null : kb / 1024.0;
            }
        }
        throw new IOException("the engine-free child printed no peak: " + lines);
    }

    /**
     * The child's class path: where this class, the library's loader, DJL's {@code api} and the
     * libraries {@code api} needs (Gson, JNA, Commons Compress, SLF4J and its simple binding if
     * present) come from; nothing of an engine.
     */
    static List<String> classPath() throws IOException {
        List<Class<?>> types =
                new ArrayList<>(
                        List.of(
                                EngineFreeGeneration.class,
                                StepModelLoader.class,
                                ai.djl.nn.Block.class,
                                com.google.gson.Gson.class,
                                com.sun.jna.Native.class,
                                org.apache.commons.compress.utils.IOUtils.class,
                                org.slf4j.LoggerFactory.class));
        try {
            types.add(Class.forName("org.slf4j.simple.SimpleServiceProvider"));
        } catch (ClassNotFoundException e) {
            // No binding: SLF4J falls back to no logging, which the measurement does not need.
        }
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : types) {
            String entry = location(type);
            if (entry.contains("pytorch")) {
                throw new IllegalStateException(
                        type.getName() + " comes from an engine's artifact, " + entry);
            }
            entries.add(entry);
        }
        return new ArrayList<>(entries);
    }

    private static String location(Class<?> type) throws IOException {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IOException("cannot locate the class path entry of " + type.getName());
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the class path entry of " + type.getName(), e);
        }
    }

    private static long peakKilobytes() {
        try {
            for (String line :
                    Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith(PEAK_FIELD)) {
                    return Long.parseLong(
                            line.substring(PEAK_FIELD.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
