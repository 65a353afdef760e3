package io.github.compressm.examples.tasks.image;

/** The image data sets of the sequential-image task. */
public enum ImageSource {
    /** Zalando's Fashion-MNIST (the default; Debian package {@code dataset-fashion-mnist}). */
    FASHION_MNIST,
    /** LeCun's handwritten digits. */
    MNIST
}
