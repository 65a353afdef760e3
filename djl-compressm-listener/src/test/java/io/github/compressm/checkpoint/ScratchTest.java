package io.github.compressm.checkpoint;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * A test class whose tests share a fresh temporary directory and an {@link NDManager}, both created
 * before the first test and removed after the last.
 */
public abstract class ScratchTest {

    /** The temporary directory of this test class. */
    protected Path dir;

    /** The manager of this test class's arrays. */
    protected NDManager manager;

    private final String prefix;

    /**
     * Creates the test class.
     *
     * @param prefix the name prefix of the temporary directory
     */
    protected ScratchTest(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Creates the directory and the manager.
     *
     * @throws IOException if the directory cannot be created
     */
    @BeforeClass
    public void createScratch() throws IOException {
        dir = Files.createTempDirectory(prefix);
        manager = NDManager.newBaseManager();
    }

    /**
     * Closes the manager and deletes the directory.
     *
     * @throws IOException if the directory cannot be deleted
     */
    @AfterClass(alwaysRun = true)
    public void removeScratch() throws IOException {
        if (manager != null) {
            manager.close();
        }
        deleteTree(dir);
    }

    /**
     * Deletes a directory and everything below it; nothing happens if it does not exist.
     *
     * @param dir the directory, or {@code null}
     * @throws IOException if the directory cannot be walked
     */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
