package dev.datasync.shared.delivery;

import java.time.Instant;

/**
 * What happened to one message: delivered, or not with its last {@link Failure}. {@code attempts} counts calls
 * actually made to the target (0 for an invalid message, or one held back behind an earlier failure of its key).
 * {@code at} is when the outcome was settled.
 */
public record Outcome(boolean delivered, int attempts, Failure failure, Instant at, boolean heldBack) {

    public static Outcome delivered(int attempts, Instant at) {
        return new Outcome(true, attempts, null, at, false);
    }

    public static Outcome failed(int attempts, Failure failure, Instant at) {
        return new Outcome(false, attempts, failure, at, false);
    }

    /**
     * A message not attempted because an earlier message with the same streamKey failed: it takes the same
     * route as that failure so the key's order is kept in the error stream too.
     */
    public static Outcome heldBackBehind(Outcome earlier, String earlierSyncId, Instant at) {
        Failure f = earlier.failure();
        String reason = "not attempted: an earlier message with the same streamKey was not delivered"
                + (earlierSyncId == null ? "" : " (syncId " + earlierSyncId + ")");
        return new Outcome(false, 0, new Failure(f.status(), f.kind(), reason), at, true);
    }
}
