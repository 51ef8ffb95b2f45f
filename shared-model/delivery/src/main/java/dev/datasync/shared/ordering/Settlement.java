package dev.datasync.shared.ordering;

import java.util.Objects;

/**
 * What became of one keyed message in a batch, for {@link OrderingPass#settle}: delivered; waiting in error stream
 * {@code stream} (failed with a failure that may pass later, or held); or ended (dead-lettered, unrecoverable).
 */
public record Settlement(KeyRef key, String syncId, Outcome outcome, String stream) {

    public enum Outcome {
        DELIVERED,
        /** In an error stream that is retried (by the redrive or by hand): its key stays held behind it. */
        WAITING,
        /** Dead-lettered or in the unrecoverable stream: never delivered; what was held behind it is released. */
        ENDED
    }

    public Settlement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(syncId, "syncId");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.WAITING) {
            Objects.requireNonNull(stream, "a waiting message names its stream");
        }
    }

    public static Settlement delivered(KeyRef key, String syncId) {
        return new Settlement(key, syncId, Outcome.DELIVERED, null);
    }

    public static Settlement waiting(KeyRef key, String syncId, String stream) {
        return new Settlement(key, syncId, Outcome.WAITING, stream);
    }

    public static Settlement ended(KeyRef key, String syncId) {
        return new Settlement(key, syncId, Outcome.ENDED, null);
    }
}
