package dev.datasync.shared.replay;

import java.time.Duration;

/**
 * Another holder (a replay, or the redrive pass) has the partition's {@link PartitionLease}: nothing was read.
 * {@code holder} names it (null when three races in a row were lost to holders not seen); {@code heldFor} is how
 * long its lease runs at most unless it is renewed.
 */
public final class PartitionBusyException extends RuntimeException {

    private final String holder;
    private final Duration heldFor;

    public PartitionBusyException(String partition, String holder, Duration heldFor) {
        super("partition " + partition + " is held by " + (holder == null ? "another holder" : holder)
                + " for up to " + heldFor.toSeconds() + " s", null, false, false);
        this.holder = holder;
        this.heldFor = heldFor;
    }

    public String holder() {
        return holder;
    }

    /** Whole seconds to wait before asking again: the lease's remaining time, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (heldFor.toMillis() + 999) / 1000);
    }
}
