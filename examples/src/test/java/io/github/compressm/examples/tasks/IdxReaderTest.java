package io.github.compressm.examples.tasks;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import io.github.compressm.examples.tasks.image.IdxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** Header checks of the IDX reader. */
public class IdxReaderTest {

    @Test
    public void readsAPlainFile() throws IOException {
        Path f = Files.createTempFile("idx", ".bin");
        try {
            Files.write(
                    f, new byte[] {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, (byte) 255});
            IdxReader.IdxArray a = IdxReader.read(f);
            assertEquals(a.shape(), new int[] {2, 3});
            assertEquals(a.items(), 2);
            assertEquals(a.itemSize(), 3);
            assertEquals(a.values()[5] & 0xff, 255);
        } finally {
            Files.delete(f);
        }
    }

    @Test
    public void rejectsBadMagicAndTruncatedFiles() throws IOException {
        Path bad = Files.createTempFile("idx", ".bin");
        Path truncated = Files.createTempFile("idx", ".bin");
        try {
            Files.write(bad, new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0});
            IOException e = expectThrows(bad);
            assertTrue(e.getMessage().contains("magic"), e.getMessage());
            Files.write(truncated, new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2});
            e = expectThrows(truncated);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        } finally {
            Files.delete(bad);
            Files.delete(truncated);
        }
    }

    private static IOException expectThrows(Path file) {
        return org.testng.Assert.expectThrows(IOException.class, () -> IdxReader.read(file));
    }

    @Test
    public void missingFileIsAnIoError() {
        assertThrows(IOException.class, () -> IdxReader.read(Path.of("/nonexistent/idx")));
    }
}
