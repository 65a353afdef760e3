/** System identification of a random stable linear system of known order (also the demo). */
package io.github.compressm.examples.tasks.sysid;
