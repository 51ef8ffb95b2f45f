package dev.datasync.shared.replay;

import java.util.Collection;
import java.util.Optional;

/**
 * The settled offsets of one error-stream partition, as one version of its state object ({@link ReplayMarks}):
 * {@code etag} is the version read (null when none is stored yet), which the next write names. Immutable; the
 * methods answer new marks that still name the version they were read as.
 */
public record PartitionMarks(OffsetRanges delivered, OffsetRanges moved, String etag) {

    public static final PartitionMarks NONE = new PartitionMarks(OffsetRanges.EMPTY, OffsetRanges.EMPTY, null);

    /** How the message at {@code offset} was settled, or empty when no replay or redrive has settled it. */
    public Optional<Settlement> settlementOf(long offset) {
        if (delivered.contains(offset)) {
            return Optional.of(Settlement.DELIVERED);
        }
        return moved.contains(offset) ? Optional.of(Settlement.MOVED) : Optional.empty();
    }

    public PartitionMarks with(Collection<Long> newlyDelivered, Collection<Long> newlyMoved) {
        return new PartitionMarks(delivered.with(newlyDelivered), moved.with(newlyMoved), etag);
    }

    /** Without the offsets below {@code offset}: the stream no longer retains them, no replay can read them. */
    public PartitionMarks from(long offset) {
        return new PartitionMarks(delivered.from(offset), moved.from(offset), etag);
    }

    /** These marks and those of {@code latest}, to be written over {@code latest}'s version. */
    public PartitionMarks mergedInto(PartitionMarks latest) {
        return new PartitionMarks(latest.delivered.union(delivered), latest.moved.union(moved), latest.etag);
    }

    /** The same marks, now stored as version {@code newEtag}. */
    PartitionMarks storedAs(String newEtag) {
        return new PartitionMarks(delivered, moved, newEtag);
    }
}
