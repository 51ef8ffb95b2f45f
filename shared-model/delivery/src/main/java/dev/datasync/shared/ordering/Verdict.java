package dev.datasync.shared.ordering;

/**
 * Whether a keyed message may be delivered now ({@link OrderingPass#verdict}).
 */
public sealed interface Verdict {

    /** Deliver it: no earlier message of its key is undelivered (or the earlier ones are before it in this batch). */
    Go GO = new Go();

    record Go() implements Verdict {
    }

    /**
     * Do not deliver it: {@code blocker} (a syncId) is an earlier undelivered message of its key, waiting in error
     * stream {@code stream}, where this message is held too (its envelope's {@code heldBehind}).
     */
    record Hold(String blocker, String stream) implements Verdict {
    }

    /**
     * Do not deliver it: it was held behind {@code blocker}, which was dead-lettered (or found unrecoverable) while
     * {@code held_on_dead_letter} was {@code deadLetter}; it ends with it ({@code deadLetterReason}
     * {@code blockerDeadLettered}).
     */
    record DeadLetter(String blocker) implements Verdict {
    }
}
