package dev.datasync.local.cli;

/** A user-facing error: printed as one line, exit status 2, no stack trace. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
