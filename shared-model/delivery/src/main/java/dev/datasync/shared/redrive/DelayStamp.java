package dev.datasync.shared.redrive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.contract.DeliverAfter;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;

import java.time.Instant;

/**
 * The redrive fields of a delayed message (its {@code deliverAfter} still ahead, routed without a call), for the
 * first routing and for the redrive alike: {@code nextAttemptAt} and {@code delayedUntil} are its deliverAfter, its
 * {@code redriveCount} 0, and its {@code firstFailedAt} — what {@code redrive_max_age} counts from — is its
 * deliverAfter too, since it cannot fail before it is tried. Its first try, when due, then starts the schedule as a
 * first failure does ({@link #firstTryAfterDelay}).
 */
final class DelayStamp {

    private DelayStamp() {
    }

    /** Whether the outcome is a delay (not a failure). */
    static boolean delays(DeliveryOutcome outcome) {
        return outcome.failure() != null && outcome.failure().kind() == FailureKind.DELAYED;
    }

    /** Stamps a delayed message's envelope; its deliverAfter is read from the message itself. */
    static void stamp(ObjectNode envelope, DeliveryOutcome outcome) {
        Instant until;
        try {
            until = DeliverAfter.of(envelope);
        } catch (IllegalArgumentException e) {
            until = null;
        }
        // validated on the way in; a message without one cannot be delayed: due now
        String at = (until == null ? outcome.at() : until).toString();
        envelope.put(PipelineFields.DELAYED_UNTIL, at);
        envelope.put(PipelineFields.NEXT_ATTEMPT_AT, at);
        envelope.put(PipelineFields.FIRST_FAILED_AT, at);
        envelope.put(PipelineFields.REDRIVE_COUNT, 0);
    }

    /**
     * Whether this try is the first of a message that waited for its deliverAfter: it does not count as a redrive
     * try (the schedule starts after it, as after a first failure). Clears the mark either way once it was tried.
     */
    static boolean firstTryAfterDelay(ObjectNode envelope, DeliveryOutcome outcome) {
        boolean delayed = envelope.hasNonNull(PipelineFields.DELAYED_UNTIL);
        if (delayed && outcome.attempts() > 0) {
            envelope.remove(PipelineFields.DELAYED_UNTIL);
            return true;
        }
        return false;
    }
}
