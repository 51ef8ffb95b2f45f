package dev.datasync.shared.replay;

import java.time.Duration;

/**
 * Where {@link PartitionClaim}s come from: the container's {@link PartitionLease} and {@link ReplayMarks}, over the
 * same state store. Build one per container.
 */
public record PartitionClaims(PartitionLease leases, ReplayMarks marks) {

    /**
     * Takes the partition's lease, then reads its marks: one read and one write, then one read.
     * @param holder unique to this claim ({@link PartitionLease#newHolder})
     * @param ttl    how long the lease outlives its holder's last renewal (renewed every third of it)
     * @throws PartitionBusyException when another holder has the partition
     * @throws dev.datasync.shared.state.StateUnavailableException when the state store cannot be reached (then
     *                                                             nothing is held)
     */
    public PartitionClaim take(String stream, String partition, String holder, Duration ttl) {
        HeldLease lease = leases.acquire(stream, partition, holder, ttl);
        try {
            return new PartitionClaim(lease, marks, stream, marks.read(stream, partition));
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }
}
