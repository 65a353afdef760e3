/**
 * The JSON run report (stable, documented fields, a format version) and its reader/writer, which
 * also reads the earlier formats.
 */
package io.github.compressm.examples.report;
