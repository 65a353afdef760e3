package io.github.compressm.examples.tasks.image;

import ai.djl.basicdataset.cv.classification.FashionMnist;
import ai.djl.basicdataset.cv.classification.Mnist;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.Pipeline;
import ai.djl.translate.Transform;
import io.github.compressm.examples.training.ClassificationTask;
import io.github.compressm.examples.training.DataUnavailableException;
import io.github.compressm.examples.training.RunConfig;
import io.github.compressm.examples.training.TaskData;
import io.github.compressm.ssm.serving.SsmBlockFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sequential (pixel-by-pixel) image classification: each 28x28 image is read as a sequence of 784
 * pixels with one feature, scaled to [0, 1]; 10 classes. Data come from local IDX files ({@code
 * --data-dir}, such as those of the Debian package {@code dataset-fashion-mnist}) or, without a
 * directory, from DJL basicdataset's {@link FashionMnist} / {@link Mnist} (which download).
 */
public final class SequentialImageTask extends ClassificationTask {

    /** The four IDX file names (each may also end in {@code .gz}). */
    static final String[] FILES = {
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte"
    };

    private static final int PIXELS = 28 * 28;

    private final ImageSource source;
    private final Path dataDir;
    private final int testLimit;

    /**
     * Creates the task.
     *
     * @param source which data set
     * @param dataDir a directory with the four IDX files, or {@code null} to use DJL's datasets
     * @param testLimit the most test images to use, 0 for all
     */
    public SequentialImageTask(ImageSource source, Path dataDir, int testLimit) {
        this.source = source;
        this.dataDir = dataDir;
        this.testLimit = testLimit;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "sequential-image";
    }

    /** {@inheritDoc} */
    @Override
    public TaskData prepare(NDManager manager, RunConfig config) throws IOException {
        int limit = config.training().limit();
        int batchSize = config.training().batchSize();
        RandomAccessDataset train;
        RandomAccessDataset test;
        if (dataDir != null) {
            Path[] files = locate();
            train = fromIdx(manager, files[0], files[1], limit, batchSize, true);
            test = fromIdx(manager, files[2], files[3], testLimit, batchSize, false);
        } else {
            train = fromDjl(manager, Usage.TRAIN, limit, batchSize, true);
            test = fromDjl(manager, Usage.TEST, testLimit, batchSize, false);
        }
        return new TaskData(train, test, new Shape(1, PIXELS, 1), DataType.FLOAT32);
    }

    /** {@inheritDoc} */
    @Override
    public Block buildModel(RunConfig config) {
        return config.model().modelBuilder(10).buildClassifier();
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, String> servingProperties() {
        return Map.of(
                SsmBlockFactory.ARCHITECTURE, SsmBlockFactory.CLASSIFIER,
                SsmBlockFactory.OUTPUTS, "10",
                SsmBlockFactory.TOKEN_VOCABULARY, "0");
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, Object> details(Trainer trainer, RunConfig config) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("dataset", source.name().toLowerCase().replace('_', '-'));
        details.put("dataDir", dataDir == null ? null : dataDir.toString());
        details.put("sequenceLength", PIXELS);
        details.put("testLimit", testLimit);
        return details;
    }

    private Path[] locate() throws DataUnavailableException {
        Path[] found = new Path[FILES.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < FILES.length; i++) {
            Path plain = dataDir.resolve(FILES[i]);
            Path gz = dataDir.resolve(FILES[i] + ".gz");
            found[i] = Files.isRegularFile(plain) ? plain : Files.isRegularFile(gz) ? gz : null;
            if (found[i] == null) {
                missing.add(FILES[i] + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new DataUnavailableException(
                    "missing IDX files in "
                            + dataDir
                            + ": "
                            + String.join(", ", missing)
                            + ". "
                            + howToGet());
        }
        return found;
    }

    private String howToGet() {
        if (source == ImageSource.FASHION_MNIST) {
            return "On Debian/Ubuntu, `sudo apt-get install dataset-fashion-mnist` installs them in"
                    + " /usr/share/datasets/fashion-mnist (pass --data-dir"
                    + " /usr/share/datasets/fashion-mnist); or omit --data-dir to let DJL download"
                    + " Fashion-MNIST (needs network access and no -Dai.djl.offline=true).";
        }
        return "Download the four MNIST IDX files into that directory, or omit --data-dir to let DJL"
                + " download MNIST (needs network access and no -Dai.djl.offline=true).";
    }

    private static ArrayDataset fromIdx(
            NDManager manager,
            Path imagesFile,
            Path labelsFile,
            int limit,
            int batch,
            boolean shuffle)
            throws IOException {
        IdxReader.IdxArray images = IdxReader.read(imagesFile);
        IdxReader.IdxArray labels = IdxReader.read(labelsFile);
        if (images.itemSize() != PIXELS) {
            throw new IOException(
                    imagesFile
                            + ": expected 28x28 images, got items of "
                            + images.itemSize()
                            + " values");
        }
        if (labels.items() != images.items() || labels.itemSize() != 1) {
            throw new IOException(
                    labelsFile + " does not hold one label per image of " + imagesFile);
        }
        int n = limit > 0 ? Math.min(limit, images.items()) : images.items();
        float[] pixels = new float[n * PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (images.values()[i] & 0xff) / 255f;
        }
        long[] classes = new long[n];
        for (int i = 0; i < n; i++) {
            classes[i] = labels.values()[i] & 0xff;
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(pixels, new Shape(n, PIXELS, 1)))
                .optLabels(manager.create(classes))
                .setSampling(batch, shuffle)
                .build();
    }

    private RandomAccessDataset fromDjl(
            NDManager manager, Usage usage, int limit, int batch, boolean shuffle)
            throws DataUnavailableException {
        Transform toSequence = image -> image.reshape(PIXELS, 1).div(255f);
        RandomAccessDataset dataset;
        if (source == ImageSource.FASHION_MNIST) {
            FashionMnist.Builder b =
                    FashionMnist.builder()
                            .optManager(manager)
                            .optUsage(usage)
                            .setSampling(batch, shuffle)
                            .optPipeline(new Pipeline(toSequence));
            dataset = (limit > 0 ? b.optLimit(limit) : b).build();
        } else {
            Mnist.Builder b =
                    Mnist.builder()
                            .optManager(manager)
                            .optUsage(usage)
                            .setSampling(batch, shuffle)
                            .optPipeline(new Pipeline(toSequence));
            dataset = (limit > 0 ? b.optLimit(limit) : b).build();
        }
        try {
            dataset.prepare();
        } catch (IOException | ai.djl.translate.TranslateException | RuntimeException e) {
            throw new DataUnavailableException(
                    "could not get "
                            + source.name().toLowerCase().replace('_', '-')
                            + " through DJL ("
                            + e.getMessage()
                            + "). "
                            + (source == ImageSource.FASHION_MNIST
                                    ? "Offline: `sudo apt-get install dataset-fashion-mnist` and pass"
                                            + " --data-dir /usr/share/datasets/fashion-mnist. Online:"
                                            + " run without -Dai.djl.offline=true so DJL can download it."
                                    : "Offline: put the four MNIST IDX files in a directory and pass"
                                            + " --data-dir. Online: run without"
                                            + " -Dai.djl.offline=true so DJL can download it."),
                    e);
        }
        return dataset;
    }
}
