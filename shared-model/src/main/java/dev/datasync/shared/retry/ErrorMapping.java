package dev.datasync.shared.retry;

/** One {@code errormapping} entry of a retry request: {@code responsecode} (a status, a class or "unexpectedError") → stream. */
public record ErrorMapping(String responsecode, String stream) {

    /** The selector for failures without a matching status (network, time-out, invalid, unmapped codes). */
    public static final String UNEXPECTED_ERROR = "unexpectedError";
}
