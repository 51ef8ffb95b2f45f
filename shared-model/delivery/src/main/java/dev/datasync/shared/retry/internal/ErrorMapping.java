package dev.datasync.shared.retry.internal;

/**
 * One {@code errormapping} entry of a retry request: {@code responsecode} (a status, a class, {@code network},
 * {@code timeout}, {@code invalid} or {@code unexpectedError}) → stream. See {@link RetryRouting}.
 */
public record ErrorMapping(String responsecode, String stream) {

    /** The selector for unmapped HTTP statuses and invalid messages — never for network failures or time-outs. */
    public static final String UNEXPECTED_ERROR = "unexpectedError";

    /** Selectors for failures without a status, as in {@code error_routing}. */
    public static final java.util.Set<String> KINDS = java.util.Set.of("network", "timeout", "invalid");
}
