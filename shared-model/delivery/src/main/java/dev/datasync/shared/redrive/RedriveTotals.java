package dev.datasync.shared.redrive;

/**
 * What one pass did to one stream. {@code read} = {@code delivered} + {@code reappended} + {@code deadLettered} +
 * {@code unrecoverable} + {@code alreadySettled}: re-appended (not yet due and copied forward unchanged, or tried
 * and failed again with its next slot: to the same stream, or to another redriven one when it is held behind a
 * message of its key there), dead-lettered (max age, schedule exhausted, corrupt), moved to the unrecoverable
 * stream (its failure can no longer succeed), or left alone because a manual replay already delivered or moved it
 * (its replay marks). {@code delivered} counts the messages their source's filter rule dropped too (settled as done).
 * {@code pending}: what still waits for a later pass —
 * the re-appended messages, plus one when the pass stopped before the stream's end (at least that many remain).
 * {@code outcome}: {@code reachedTip}, {@code timeRanOut}, {@code notAssigned} (another instance of the group holds
 * every partition), {@code busy} (a manual replay holds a partition's lease: nothing read), {@code leaseLost} (the
 * lease ran out under way: the pass stopped after the pages it committed), {@code unavailable} (Streaming or the
 * state store could not be read or written) or {@code routingFailed} (messages could not be appended; the page was
 * not committed and will be read again).
 */
public record RedriveTotals(String stream, String streamId, int read, int delivered, int reappended,
                            int deadLettered, int unrecoverable, int alreadySettled, int pending, String outcome) {

    public static final String REACHED_TIP = "reachedTip";
    public static final String TIME_RAN_OUT = "timeRanOut";
    public static final String NOT_ASSIGNED = "notAssigned";
    public static final String BUSY = "busy";
    public static final String LEASE_LOST = "leaseLost";
    public static final String UNAVAILABLE = "unavailable";
    public static final String ROUTING_FAILED = "routingFailed";

    /** Whether the pass did its work on this stream (nothing failed). */
    public boolean ok() {
        return !outcome.equals(UNAVAILABLE) && !outcome.equals(ROUTING_FAILED);
    }

    /** Whether the stream was read through: only then is {@code pending} known. */
    public boolean counted() {
        return ok() && !outcome.equals(NOT_ASSIGNED) && !outcome.equals(BUSY) && !outcome.equals(LEASE_LOST);
    }
}
