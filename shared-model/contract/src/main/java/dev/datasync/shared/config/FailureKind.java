package dev.datasync.shared.config;

/**
 * Delivery failures that have no HTTP status. Network, time-out, invalid and circuit-open are routable by their own
 * {@code error_routing} selector; held-back and target-paused are not: they follow the failure that caused them.
 */
public enum FailureKind {
    /** connection refused/reset, DNS failure, TLS failure */
    NETWORK("network"),
    /** connect or request time-out */
    TIMEOUT("timeout"),
    /** the stored message cannot be parsed or fails validation (it can never succeed) */
    INVALID("invalid"),
    /**
     * not attempted: an earlier message of the same streamKey was not delivered. Recorded in lastError only — not
     * an error_routing selector: a held-back message takes its blocker's route so the key's order is kept.
     */
    HELD_BACK("heldBack"),
    /**
     * not attempted: the target's circuit breaker is open after repeated failures. Routed by its own selector
     * ({@code circuitOpen}, by default with network failures and time-outs), so the redrive picks it up.
     */
    CIRCUIT_OPEN("circuitOpen"),
    /**
     * not attempted: the target asked for a pause ({@code Retry-After} on a 429 or 503) that ends after the
     * invocation's deadline. Recorded in lastError only: the message takes the route of the answer that paused it.
     */
    TARGET_PAUSED("targetPaused"),
    /**
     * not attempted: the source's rules could not judge or shape the message (an expression failed, ran over its
     * time or size budget, a filter gave no boolean, or the stored rules do not compile). It can never succeed as it
     * is: routed by its own selector ({@code transformFailed}), UnrecoverableErrorStream by default; replayed once
     * the rules are fixed.
     */
    TRANSFORM_FAILED("transformFailed"),
    /**
     * not attempted (not a failure): its {@code deliverAfter} has not come yet. Routed, with no call, to the
     * redriven stream of {@code DelaySettings} with {@code nextAttemptAt} = deliverAfter; the redrive delivers it
     * when due. Not an {@code error_routing} selector.
     */
    DELAYED("delayed");

    private final String selector;

    FailureKind(String selector) {
        this.selector = selector;
    }

    public String selector() {
        return selector;
    }
}
