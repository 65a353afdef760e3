/** Sequential (pixel-by-pixel) Fashion-MNIST and MNIST, from local IDX files or DJL's datasets. */
package io.github.compressm.examples.tasks.image;
