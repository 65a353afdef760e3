package io.github.compressm.ssm.generation;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBaseBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Reads a parameter file written by DJL's {@code Model.save} ({@code .params}) into float arrays,
 * without an engine: what {@code Block.loadParameters} does, with the arrays decoded in Java
 * instead of created by the engine. The block tree must be the one that was saved, built the same
 * way (for example by {@link io.github.compressm.ssm.serving.SsmBlockFactory}); each block reads
 * its own metadata ({@link AbstractBaseBlock#loadMetadata}), so saved state sizes, which
 * compression changes, win as they do in DJL's loader. Float32 and float64 parameters are read; the
 * file's NDArray encoding must be version 3 (DJL 0.2x and later).
 */
public final class ParameterFile implements ParameterValues {

    private static final String MAGIC = "DJL@";
    private static final int MODEL_FORMAT = 1;
    private static final String ARRAY_MAGIC = "NDAR";
    private static final int ARRAY_FORMAT = 3;

    private static final Method LOAD_METADATA = loadMetadataMethod();

    private final Map<Parameter, float[]> values = new IdentityHashMap<>();

    private ParameterFile() {}

    /**
     * Reads a parameter file into a block tree's parameters.
     *
     * @param file the {@code .params} file
     * @param model the block tree that was saved, not initialised; its blocks read their metadata
     * @return the values of the tree's parameters
     * @throws IOException if the file cannot be read
     * @throws MalformedModelException if the file is not a DJL parameter file of this tree
     */
    public static ParameterFile read(Path file, Block model)
            throws IOException, MalformedModelException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream is = new DataInputStream(in);
            byte[] magic = new byte[MAGIC.length()];
            is.readFully(magic);
            if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new MalformedModelException(file + " is not a DJL parameter file");
            }
            int format = is.readInt();
            if (format != MODEL_FORMAT) {
                throw new MalformedModelException(
                        file + ": unsupported DJL model format " + format + ", expected 1");
            }
            is.readUTF(); // model name
            is.readUTF(); // data type
            int inputs = is.readInt();
            for (int i = 0; i < inputs; i++) {
                is.readUTF();
                Shape.decode(is);
            }
            int properties = is.readInt();
            for (int i = 0; i < properties; i++) {
                is.readUTF();
                is.readUTF();
            }
            ParameterFile parameters = new ParameterFile();
            parameters.readBlock(model, is);
            return parameters;
        }
    }

    /** {@inheritDoc} */
    @Override
    public float[] get(Parameter parameter) {
        float[] v = values.get(parameter);
        if (v == null) {
            throw new IllegalStateException(
                    "the parameter file holds no values of "
                            + (parameter == null ? "a missing parameter" : parameter.getName()));
        }
        return v;
    }

    private void readBlock(Block block, DataInputStream is)
            throws IOException, MalformedModelException {
        if (!(block instanceof AbstractBaseBlock)) {
            throw new MalformedModelException(
                    "cannot read the metadata of a "
                            + block.getClass().getName()
                            + " without an engine: it is no AbstractBaseBlock");
        }
        byte version = is.readByte();
        loadMetadata(block, version, is);
        for (Parameter parameter : block.getDirectParameters().values()) {
            char kind = is.readChar();
            if (kind == 'N') {
                continue;
            }
            if (kind != 'P' || is.readByte() != 1) {
                throw new MalformedModelException("invalid parameter record in the file");
            }
            String name = is.readUTF();
            if (!name.equals(parameter.getName())) {
                throw new MalformedModelException(
                        "unexpected parameter " + name + ", expected " + parameter.getName());
            }
            values.put(parameter, readArray(is));
        }
        for (Block child : block.getChildren().values()) {
            readBlock(child, is);
        }
    }

    /**
     * Calls a block's {@code loadMetadata}: every block overrides it publicly, but DJL declares it
     * protected in {@link AbstractBaseBlock} and no public type exposes it, so the call goes
     * through reflection on the base declaration, dispatched to the block's override.
     */
    private static void loadMetadata(Block block, byte version, DataInputStream is)
            throws IOException, MalformedModelException {
        try {
            LOAD_METADATA.invoke(block, version, is);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call loadMetadata of " + block, e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof MalformedModelException) {
                throw (MalformedModelException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static Method loadMetadataMethod() {
        try {
            Method method =
                    AbstractBaseBlock.class.getDeclaredMethod(
                            "loadMetadata", byte.class, DataInputStream.class);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("DJL's AbstractBaseBlock has no loadMetadata", e);
        }
    }

    /** Decodes one array as DJL's {@code NDSerializer} encodes it (version 3), as floats. */
    private static float[] readArray(DataInputStream is)
            throws IOException, MalformedModelException {
        if (!ARRAY_MAGIC.equals(is.readUTF())) {
            throw new MalformedModelException("invalid array record in the file");
        }
        int format = is.readInt();
        if (format != ARRAY_FORMAT) {
            throw new MalformedModelException(
                    "unsupported NDArray encoding " + format + ": load the model with an engine");
        }
        if (is.readByte() != 0) {
            is.readUTF(); // array name
        }
        String sparse = is.readUTF();
        String dataType = is.readUTF();
        if (!"DENSE".equals(sparse)) {
            throw new MalformedModelException("unsupported sparse parameter (" + sparse + ")");
        }
        long size = Shape.decode(is).size();
        ByteOrder order = is.readByte() == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] bytes = new byte[is.readInt()];
        is.readFully(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(order);
        float[] out = new float[Math.toIntExact(size)];
        if ("FLOAT32".equals(dataType) && bytes.length == 4L * size) {
            buffer.asFloatBuffer().get(out);
        } else if ("FLOAT64".equals(dataType) && bytes.length == 8L * size) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) buffer.getDouble();
            }
        } else {
            throw new MalformedModelException(
                    "unsupported parameter data type "
                            + dataType
                            + " ("
                            + bytes.length
                            + " bytes for "
                            + size
                            + " values): only float32 and float64 are read without an engine");
        }
        return out;
    }
}
