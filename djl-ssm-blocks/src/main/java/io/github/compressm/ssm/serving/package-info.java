/**
 * Serving saved SSM models with DJL's {@code Criteria}, with the library artifacts only: {@link
 * io.github.compressm.ssm.serving.ModelExport} saves a model with a {@code serving.properties} that
 * names the {@link io.github.compressm.ssm.serving.SsmBlockFactory} (which rebuilds the
 * architecture) and the {@link io.github.compressm.ssm.serving.SsmTranslatorFactory}, so {@code
 * Criteria} with that translator factory loads the model from its directory: a character language
 * model ({@link io.github.compressm.ssm.serving.CharLmTranslator}, over a {@link
 * io.github.compressm.ssm.serving.CharVocabulary}) or a sequence classifier ({@link
 * io.github.compressm.ssm.serving.SequenceClassifierTranslator}).
 */
package io.github.compressm.ssm.serving;
