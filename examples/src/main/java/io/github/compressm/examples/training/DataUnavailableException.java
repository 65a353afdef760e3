package io.github.compressm.examples.training;

import java.io.IOException;

/** Input data is missing or unreadable; the message says how to get it. */
public class DataUnavailableException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is missing and how to get it
     */
    public DataUnavailableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is missing and how to get it
     * @param cause the underlying failure
     */
    public DataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
