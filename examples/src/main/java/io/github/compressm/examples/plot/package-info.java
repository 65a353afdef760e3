/**
 * Headless JFreeChart PNG plots of a run report: HSV spectra with the cut, state size over
 * training, learning curves.
 */
package io.github.compressm.examples.plot;
