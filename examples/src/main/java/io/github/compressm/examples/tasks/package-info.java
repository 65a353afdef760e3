/** The example tasks, one subpackage each. */
package io.github.compressm.examples.tasks;
