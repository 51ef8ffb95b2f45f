package dev.datasync.shared.delivery;

import dev.datasync.shared.delivery.internal.Failure;

import java.time.Duration;

/** The result of one HTTP attempt: the target answered with a status, or the call failed without one. */
sealed interface AttemptResult {

    /** @param retryAfter the target's Retry-After, or null when absent/unparseable */
    record Answered(int status, Duration retryAfter) implements AttemptResult {
    }

    record NotAnswered(Failure failure) implements AttemptResult {
    }
}
