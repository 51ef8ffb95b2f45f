package dev.datasync.shared.replay;

import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateObjects;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One holder at a time per (error stream OCID, partition): a manual replay or the redrive pass takes the partition's
 * lease before it reads, keeps it renewed while it works and releases it at the end, so two of them never deliver
 * or route the same messages. The lease is the state object {@code replay/lease/<stream OCID>/<partition>}
 * ({@link LeaseRecord}: holder and expiry), taken with {@code If-None-Match: *}, or with {@code If-Match} over an
 * expired one; renewed and released with {@code If-Match}. A holder that crashes leaves a lease that expires
 * {@code ttl} after its last renewal (plus {@link #CLOCK_LEEWAY}), after which the next holder takes it over.
 * <p>
 * Renewal runs on this object's own daemon thread every third of the ttl; build one per container and close it
 * with the container's resources. Thread-safe.
 */
public final class PartitionLease implements AutoCloseable {

    public static final String PREFIX = "replay/lease/";
    /**
     * How far the clocks of two containers may disagree: a lease counts as expired for others only this long after
     * the expiry its holder wrote.
     */
    public static final Duration CLOCK_LEEWAY = Duration.ofSeconds(2);
    /** Lost races (a create or a take-over another holder won) before the partition counts as busy. */
    private static final int RACES = 3;

    private final StateObjects state;
    private final Clock clock;
    private final JsonLog log;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "partition-lease-renewal");
        t.setDaemon(true);
        return t;
    });

    public PartitionLease(StateObjects state, Clock clock, JsonLog log) {
        this.state = state;
        this.clock = clock;
        this.log = log;
    }

    /** A holder name unique to one acquisition, such as {@code replay-5f0c…}: what others are told holds it. */
    public static String newHolder(String kind) {
        return kind + "-" + UUID.randomUUID();
    }

    public static String objectName(String stream, String partition) {
        return PREFIX + stream + "/" + partition;
    }

    /**
     * Takes the partition's lease for {@code ttl}, renewed in the background every {@code ttl / 3} until
     * {@link HeldLease#close()}.
     * @param holder unique to this acquisition ({@link #newHolder}): a name equal to the current holder's is no
     *               re-entry, it waits for that lease like any other
     * @throws PartitionBusyException when another holder's lease has not expired
     * @throws dev.datasync.shared.state.StateUnavailableException when the state store cannot be reached (nothing
     *                                                             is held)
     */
    public HeldLease acquire(String stream, String partition, String holder, Duration ttl) {
        String name = objectName(stream, partition);
        for (int race = 0; race < RACES; race++) {
            Optional<StateObject> current = state.read(name);
            Instant now = clock.instant();
            LeaseRecord mine = new LeaseRecord(holder, now.plus(ttl));
            try {
                if (current.isEmpty()) {
                    return started(stream, partition, mine, ttl, state.create(name, mine.toBytes()));
                }
                LeaseRecord theirs = LeaseRecord.parse(current.get().body());
                if (theirs != null && now.isBefore(theirs.expiresAt().plus(CLOCK_LEEWAY))) {
                    throw new PartitionBusyException(partition, theirs.holder(),
                            Duration.between(now, theirs.expiresAt().plus(CLOCK_LEEWAY)));
                }
                log.warn("replay.lease_taken_over").streamId(stream).partition(partition)
                        .reason(theirs == null ? "unreadable lease" : "expired lease of " + theirs.holder()).write();
                return started(stream, partition, mine, ttl, state.replace(name, mine.toBytes(),
                        current.get().etag()));
            } catch (StateConflictException e) {
                // another holder won this race: look again at what it wrote
            }
        }
        throw new PartitionBusyException(partition, null, ttl);
    }

    private HeldLease started(String stream, String partition, LeaseRecord record, Duration ttl, String etag) {
        HeldLease lease = new HeldLease(state, clock, log, stream, partition, record, ttl, etag);
        long every = Math.max(1, ttl.toMillis() / 3);
        lease.renewing(renewals.scheduleWithFixedDelay(lease::renewQuietly, every, every,
                java.util.concurrent.TimeUnit.MILLISECONDS));
        log.info("replay.lease_acquired").streamId(stream).partition(partition).reason("holder " + record.holder())
                .write();
        return lease;
    }

    /** Stops renewing every lease still held (they expire by themselves; {@link HeldLease#close()} releases one). */
    @Override
    public void close() {
        renewals.shutdownNow();
    }
}
