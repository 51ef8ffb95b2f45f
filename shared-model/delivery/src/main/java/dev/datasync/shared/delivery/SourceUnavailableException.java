package dev.datasync.shared.delivery;

/**
 * What a source application may do cannot be known now: the source registry cannot be read, or holds an object for
 * it that is not a valid policy. The message says which, in our own words (safe to log and to answer).
 */
public final class SourceUnavailableException extends RuntimeException {

    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
