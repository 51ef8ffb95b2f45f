package dev.datasync.shared.routing;

/**
 * Some failed messages could not be placed in any error stream. The function lets it escape so the invocation
 * fails and Service Connector Hub delivers the batch again: nothing is acknowledged that is neither delivered nor
 * routed (a redelivery repeats deliveries under the same Idempotency-Key).
 */
public class RoutingFailedException extends RuntimeException {

    public RoutingFailedException(String message) {
        super(message, null, false, false);
    }
}
