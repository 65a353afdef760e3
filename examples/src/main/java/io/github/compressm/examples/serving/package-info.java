/**
 * Serving saved example models with DJL: {@code serving.properties} beside the parameters names a
 * {@link io.github.compressm.examples.serving.SsmBlockFactory} and a {@link
 * io.github.compressm.examples.serving.SsmTranslatorFactory}, so {@code Criteria} with that
 * translator factory loads a model saved by {@code --save-model} from its directory.
 */
package io.github.compressm.examples.serving;
