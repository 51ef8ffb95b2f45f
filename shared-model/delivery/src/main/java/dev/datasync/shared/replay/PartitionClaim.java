package dev.datasync.shared.replay;

import java.util.Collection;
import java.util.Optional;

/**
 * A holder's claim on one error-stream partition while it replays or redrives it: the partition's lease
 * ({@link PartitionLease}, renewed in the background) and its marks ({@link ReplayMarks}), read once when the claim
 * is taken ({@link PartitionClaims#take}) and written once per page with {@link #record}. Closing it releases the
 * lease.
 * <pre>{@code
 * try (PartitionClaim claim = claims.take(stream, partition, PartitionLease.newHolder("redrive"), ttl)) {
 *     // per page: skip what claim.settlementOf(offset) names, deliver the rest, then
 *     claim.record(deliveredOffsets, movedOffsets);   // before the work is reported or committed
 * }
 * }</pre>
 * One thread at a time.
 */
public final class PartitionClaim implements AutoCloseable {

    private final HeldLease lease;
    private final ReplayMarks store;
    private final String stream;
    private PartitionMarks marks;
    /** Marks were dropped ({@link #forgetBelow}) and not yet written. */
    private boolean pruned;

    PartitionClaim(HeldLease lease, ReplayMarks store, String stream, PartitionMarks marks) {
        this.lease = lease;
        this.store = store;
        this.stream = stream;
        this.marks = marks;
    }

    /** False once the lease is lost or ran out: start no more work on the partition. */
    public boolean held() {
        return lease.held();
    }

    public String holder() {
        return lease.holder();
    }

    /** How an earlier replay or redrive settled the message at {@code offset}; empty when none did. */
    public Optional<Settlement> settlementOf(long offset) {
        return marks.settlementOf(offset);
    }

    /**
     * Adds the offsets settled since the last call: one conditional write, none when there is nothing new (no offset,
     * nothing forgotten). Call it before
     * the work is reported or committed: what is not recorded may be sent again by a later replay (under the same
     * Idempotency-Key).
     * @throws dev.datasync.shared.state.StateUnavailableException when the state store cannot be written (nothing
     *                                                             is recorded)
     * @throws dev.datasync.shared.state.StateConflictException when another writer won two races in a row
     */
    public void record(Collection<Long> delivered, Collection<Long> moved) {
        if (delivered.isEmpty() && moved.isEmpty() && !pruned) {
            return;
        }
        marks = store.write(stream, lease.partition(), marks.with(delivered, moved));
        pruned = false;
    }

    /** Drops, with the next {@link #record}, the marks below {@code offset}: the stream no longer retains them. */
    public void forgetBelow(long offset) {
        PartitionMarks kept = marks.from(offset);
        pruned |= !kept.equals(marks);
        marks = kept;
    }

    @Override
    public void close() {
        lease.close();
    }
}
