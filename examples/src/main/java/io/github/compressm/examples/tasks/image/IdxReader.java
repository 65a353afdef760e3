package io.github.compressm.examples.tasks.image;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files of unsigned bytes (the MNIST / Fashion-MNIST format), plain or gzip-compressed
 * (detected from the content, not the name).
 *
 * <p>Format: two zero bytes, the type code {@code 0x08} (unsigned byte), the number of dimensions,
 * one big-endian 32-bit size per dimension, then the values in row-major order.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {}

    /**
     * Reads a file.
     *
     * @param path the IDX file, optionally gzip-compressed
     * @return the array
     * @throws IOException if the file cannot be read or is not an unsigned-byte IDX file
     */
    public static IdxArray read(Path path) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw) : raw;
            DataInputStream data = new DataInputStream(new BufferedInputStream(in));
            int zero0 = data.readUnsignedByte();
            int zero1 = data.readUnsignedByte();
            int type = data.readUnsignedByte();
            int dims = data.readUnsignedByte();
            if (zero0 != 0 || zero1 != 0 || type != UNSIGNED_BYTE || dims < 1) {
                throw new IOException(
                        path + " is not an unsigned-byte IDX file (bad magic number)");
            }
            int[] shape = new int[dims];
            long count = 1;
            for (int i = 0; i < dims; i++) {
                shape[i] = data.readInt();
                if (shape[i] < 0) {
                    throw new IOException(path + ": negative size in the IDX header");
                }
                count *= shape[i];
            }
            if (count > Integer.MAX_VALUE) {
                throw new IOException(path + ": too large (" + count + " values)");
            }
            byte[] values = new byte[(int) count];
            try {
                data.readFully(values);
            } catch (java.io.EOFException e) {
                throw new IOException(
                        path + " is truncated: the header announces " + count + " values", e);
            }
            return new IdxArray(shape, values);
        }
    }

    /**
     * The content of an IDX file.
     *
     * @param shape the size of each dimension
     * @param values the unsigned byte values in row-major order
     */
    public record IdxArray(int[] shape, byte[] values) {

        /**
         * Returns the number of items (the first dimension).
         *
         * @return the item count
         */
        public int items() {
            return shape[0];
        }

        /**
         * Returns the number of values per item.
         *
         * @return the product of all dimensions but the first
         */
        public int itemSize() {
            int size = 1;
            for (int i = 1; i < shape.length; i++) {
                size *= shape[i];
            }
            return size;
        }
    }
}
