package dev.datasync.shared.delivery.internal;

import java.time.Instant;

/**
 * One call made to a target: when it started, how it ended — the HTTP {@code status} it was answered with, or the
 * {@code kind} of failure when there was no answer ({@code network}, {@code timeout}) — and how long it took. What
 * an envelope's {@code attempts} lists.
 */
public record AttemptRecord(Instant at, Integer status, String kind, long latencyMs) {

    public AttemptRecord {
        if ((status == null) == (kind == null)) {
            throw new IllegalArgumentException("an attempt has either a status or a kind");
        }
    }

    public static AttemptRecord answered(Instant at, int status, long latencyMs) {
        return new AttemptRecord(at, status, null, latencyMs);
    }

    public static AttemptRecord unanswered(Instant at, Failure failure, long latencyMs) {
        return failure.status() != null ? answered(at, failure.status(), latencyMs)
                : new AttemptRecord(at, null, failure.kind().selector(), latencyMs);
    }
}
