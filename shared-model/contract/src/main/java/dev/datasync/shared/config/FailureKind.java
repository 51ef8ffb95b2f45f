package dev.datasync.shared.config;

/**
 * Delivery failures that have no HTTP status. Network, time-out and invalid are routable by their own
 * {@code error_routing} selector; held-back is not (see {@link #HELD_BACK}).
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
    HELD_BACK("heldBack");

    private final String selector;

    FailureKind(String selector) {
        this.selector = selector;
    }

    public String selector() {
        return selector;
    }
}
