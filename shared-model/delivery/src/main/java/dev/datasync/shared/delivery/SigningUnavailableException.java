package dev.datasync.shared.delivery;

/**
 * A signing source's secret (or its policy) cannot be read now. The message is not sent unsigned: it fails as a
 * network failure would (recoverable), so it is routed and redriven. The message never quotes a secret.
 */
public final class SigningUnavailableException extends RuntimeException {

    public SigningUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
