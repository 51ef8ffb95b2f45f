package dev.datasync.shared.config;

import java.time.Duration;

/**
 * Idempotent ingest ({@code Idempotency-Key} on {@code POST /stream/sync}): how long a source's key is remembered,
 * counted from the first request that used it.
 *
 * @param window {@code idempotency_window}
 */
public record IdempotencySettings(Duration window) {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    /** Shorter than a few minutes, a client's resend after a time-out could already find its key forgotten. */
    public static final Duration SHORTEST_WINDOW = Duration.ofMinutes(5);
    /** Thirty days: far beyond any client's resend, and a bound on how long the state objects are kept. */
    public static final Duration LONGEST_WINDOW = Duration.ofDays(30);
}
