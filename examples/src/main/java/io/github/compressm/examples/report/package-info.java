/** The JSON run report (stable, documented fields) and its reader/writer. */
package io.github.compressm.examples.report;
