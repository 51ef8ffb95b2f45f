package dev.datasync.shared.config;

/** Delivery failures that have no HTTP status, each routable by its own {@code error_routing} selector. */
public enum FailureKind {
    /** connection refused/reset, DNS failure, TLS failure */
    NETWORK("network"),
    /** connect or request time-out */
    TIMEOUT("timeout"),
    /** the stored message cannot be parsed or fails validation (it can never succeed) */
    INVALID("invalid");

    private final String selector;

    FailureKind(String selector) {
        this.selector = selector;
    }

    public String selector() {
        return selector;
    }
}
