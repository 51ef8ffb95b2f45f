package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.routing.internal.RoutedEnvelope;

import java.time.Instant;

/** Why a message was moved to the DeadLetterStream: its envelope's {@code deadLetterReason}. */
public enum DeadLetterReason {
    /** Still failing {@code redrive_max_age} after {@code firstFailedAt}. */
    MAX_AGE("maxAge"),
    /** Failed the try at the last slot of {@code redrive_schedule}. */
    SCHEDULE_EXHAUSTED("scheduleExhausted"),
    /** An error-stream message that cannot be decoded, or whose pipeline-owned fields are malformed. */
    CORRUPT("corrupt"),
    /**
     * Held behind a message of its key that was dead-lettered ({@code held_on_dead_letter=deadLetter}); written by
     * {@link RoutedEnvelope#deadLetteredWithBlocker}.
     */
    BLOCKER_DEAD_LETTERED(RoutedEnvelope.BLOCKER_DEAD_LETTERED);

    private final String value;

    DeadLetterReason(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** Writes {@code deadLetterReason} and {@code deadLetteredAt}; a dead-lettered message has no next attempt. */
    public void mark(ObjectNode envelope, Instant at) {
        envelope.put(PipelineFields.DEAD_LETTER_REASON, value);
        envelope.put(PipelineFields.DEAD_LETTERED_AT, at.toString());
        envelope.remove(PipelineFields.NEXT_ATTEMPT_AT);
    }
}
