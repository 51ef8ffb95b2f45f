package dev.datasync.shared.state;

/**
 * The state store could not be read or written now (network, throttling, a 5xx, a refused credential). Whatever
 * needed the state must not guess: it keeps its message where it is, to be tried again.
 */
public final class StateUnavailableException extends RuntimeException {
    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
