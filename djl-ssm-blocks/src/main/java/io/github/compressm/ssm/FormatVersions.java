package io.github.compressm.ssm;

import ai.djl.MalformedModelException;

/** The check every block of this package makes on the format version of saved parameters. */
final class FormatVersions {

    private FormatVersions() {}

    /**
     * Rejects parameters saved in a format this code cannot read.
     *
     * @param block the block's name, for the message
     * @param loaded the version found in the saved parameters
     * @param supported the version this code writes and reads
     * @throws MalformedModelException if the versions differ
     */
    static void require(String block, byte loaded, byte supported) throws MalformedModelException {
        if (loaded != supported) {
            throw new MalformedModelException(
                    "Unsupported "
                            + block
                            + " format version "
                            + loaded
                            + ", expected "
                            + supported
                            + ": the parameters were saved by another version of"
                            + " djl-ssm-blocks");
        }
    }
}
