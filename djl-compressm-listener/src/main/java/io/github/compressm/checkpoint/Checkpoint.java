package io.github.compressm.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-safe model checkpoints: {@code Model.save} writes its parameter file in place, so a process
 * killed while saving leaves a truncated newest file, which {@code Model.load} then picks and fails
 * on (and a corrupted file may even load silently). {@link #save} writes the file into a temporary
 * directory beside the checkpoints, records its SHA-256 in {@code <file>.sha256}, flushes both to
 * disk and moves them into place atomically (the checksum last); {@link #load} loads the newest
 * complete checkpoint and verifies it against its checksum.
 *
 * <pre>
 * Checkpoint.save(model, dir, "char-lm", epoch);      // dir/char-lm-0003.params + .sha256
 * int epoch = Checkpoint.load(model, dir, "char-lm");  // newest complete checkpoint
 * </pre>
 *
 * <p>Files are named as {@code Model.save} names them, {@code <name>-<epoch, 4 digits>.params}, so
 * a checkpoint also loads with plain {@code Model.load(dir, name, Map.of("epoch", epoch))}. The
 * model properties ({@link Model#setProperty}) travel with it, among them a {@link
 * io.github.compressm.listener.CompreSsmListener}'s progress.
 */
public final class Checkpoint {

    private static final Logger logger = LoggerFactory.getLogger(Checkpoint.class);

    private static final String CHECKSUM = ".sha256";

    private Checkpoint() {}

    /**
     * Saves a model as checkpoint {@code epoch} of {@code name} in {@code dir}, atomically: either
     * the complete parameter file and its checksum are in place, or the previous checkpoints are
     * all the directory holds.
     *
     * @param model the model, initialised
     * @param dir the checkpoint directory, created if missing
     * @param name the checkpoint name (the file prefix)
     * @param epoch the epoch, from 0
     * @return the parameter file written
     * @throws IOException if the file cannot be written; nothing of it is left in {@code dir}
     */
    public static Path save(Model model, Path dir, String name, int epoch) throws IOException {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
        }
        Files.createDirectories(dir);
        Path staging = Files.createTempDirectory(dir, "." + name + "-saving-");
        try {
            model.setProperty("Epoch", Integer.toString(epoch));
            model.save(staging, name);
            String file = fileName(name, epoch);
            Path params = staging.resolve(file);
            Path checksum = staging.resolve(file + CHECKSUM);
            Files.writeString(checksum, sha256(params) + "  " + file + "\n");
            force(params);
            force(checksum);
            Path target = dir.resolve(file);
            Files.deleteIfExists(dir.resolve(file + CHECKSUM));
            move(params, target);
            move(checksum, dir.resolve(file + CHECKSUM));
            return target;
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * Loads the newest complete checkpoint of {@code name} in {@code dir} into a model whose block
     * is set (built as for training; state sizes reduced during training are restored from the
     * file). A newest file without its checksum is the remnant of an interrupted save: it is
     * skipped with a warning and the one before is loaded.
     *
     * @param model the model, its block set
     * @param dir the checkpoint directory
     * @param name the checkpoint name
     * @return the epoch loaded
     * @throws FileNotFoundException if {@code dir} holds no complete checkpoint of {@code name}
     * @throws MalformedModelException if the newest complete checkpoint does not match its checksum
     *     (truncated or corrupted) or cannot be read; the message names the file
     * @throws IOException if a file cannot be read
     */
    public static int load(Model model, Path dir, String name)
            throws IOException, MalformedModelException {
        for (int epoch : epochs(dir, name)) {
            Path params = dir.resolve(fileName(name, epoch));
            if (Files.exists(params.resolveSibling(params.getFileName() + CHECKSUM))) {
                load(model, dir, name, epoch);
                return epoch;
            }
            logger.warn(
                    "Checkpoint {} has no checksum: its save was interrupted; loading the one"
                            + " before",
                    params);
        }
        throw new FileNotFoundException(
                "No complete checkpoint '" + name + "' (" + fileName(name, 0) + ") in " + dir);
    }

    /**
     * Loads checkpoint {@code epoch} of {@code name} after verifying it against its checksum.
     *
     * @param model the model, its block set
     * @param dir the checkpoint directory
     * @param name the checkpoint name
     * @param epoch the epoch
     * @throws FileNotFoundException if the file or its checksum is missing
     * @throws MalformedModelException if the file does not match its checksum or cannot be read;
     *     the message names the file
     * @throws IOException if a file cannot be read
     */
    public static void load(Model model, Path dir, String name, int epoch)
            throws IOException, MalformedModelException {
        Path params = dir.resolve(fileName(name, epoch));
        Path checksum = params.resolveSibling(params.getFileName() + CHECKSUM);
        if (!Files.exists(params) || !Files.exists(checksum)) {
            throw new FileNotFoundException(
                    "Checkpoint " + params + " or its checksum " + checksum + " is missing");
        }
        String expected = Files.readString(checksum, StandardCharsets.US_ASCII).split("\\s+")[0];
        String actual = sha256(params);
        if (!expected.equals(actual)) {
            throw new MalformedModelException(
                    "Checkpoint "
                            + params
                            + " is truncated or corrupted: its SHA-256 is "
                            + actual
                            + ", but "
                            + expected
                            + " was recorded when it was saved. Load an earlier epoch with"
                            + " Checkpoint.load(model, dir, name, epoch), or delete the file");
        }
        try {
            model.load(dir, name, Map.of("epoch", Integer.toString(epoch)));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new MalformedModelException(
                    "Cannot load checkpoint " + params + " into this model: " + e.getMessage(), e);
        }
    }

    /** The epochs of {@code name}'s parameter files in {@code dir}, newest first. */
    private static List<Integer> epochs(Path dir, String name) throws IOException {
        List<Integer> epochs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return epochs;
        }
        Pattern pattern = Pattern.compile(Pattern.quote(name) + "-(\\d{4,})\\.params");
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(
                    f -> {
                        Matcher m = pattern.matcher(f.getFileName().toString());
                        if (m.matches()) {
                            epochs.add(Integer.parseInt(m.group(1)));
                        }
                    });
        }
        epochs.sort(Comparator.reverseOrder());
        return epochs;
    }

    private static String fileName(String name, int epoch) {
        return String.format("%s-%04d.params", name, epoch);
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            logger.warn("Cannot delete the staging directory {}", dir, e);
        }
    }
}
