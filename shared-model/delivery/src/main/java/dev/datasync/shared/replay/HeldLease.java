package dev.datasync.shared.replay;

import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateObjects;
import dev.datasync.shared.state.StateUnavailableException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.concurrent.Future;

/**
 * A {@link PartitionLease} this holder has: renewed in the background until {@link #close()}, which releases it
 * ({@code DELETE} with {@code If-Match}). {@link #held()} turns false once a renewal finds the lease taken over, or
 * when no renewal has succeeded for the ttl (state store unreachable): the holder then starts no more work.
 * Thread-safe.
 */
public final class HeldLease implements AutoCloseable {

    private final StateObjects state;
    private final Clock clock;
    private final JsonLog log;
    private final String stream;
    private final String partition;
    private final String holder;
    private final Duration ttl;
    private String etag;
    private Instant expiresAt;
    private boolean lost;
    private boolean released;
    private Future<?> renewal;

    HeldLease(StateObjects state, Clock clock, JsonLog log, String stream, String partition, LeaseRecord record,
              Duration ttl, String etag) {
        this.state = state;
        this.clock = clock;
        this.log = log;
        this.stream = stream;
        this.partition = partition;
        this.holder = record.holder();
        this.expiresAt = record.expiresAt();
        this.ttl = ttl;
        this.etag = etag;
    }

    synchronized void renewing(Future<?> task) {
        this.renewal = task;
    }

    public String holder() {
        return holder;
    }

    public String partition() {
        return partition;
    }

    /** True while the lease is this holder's and has not run out by this container's clock. */
    public synchronized boolean held() {
        return !lost && !released && clock.instant().isBefore(expiresAt);
    }

    /**
     * Moves the expiry to {@code ttl} from now (the background renewal calls it; a holder may too).
     * @throws LeaseLostException when another holder has taken the lease over
     * @throws StateUnavailableException when the state store cannot be written (the lease runs on until it expires)
     */
    public synchronized void renew() {
        if (lost || released) {
            throw new LeaseLostException(partition, holder);
        }
        LeaseRecord next = new LeaseRecord(holder, clock.instant().plus(ttl));
        try {
            etag = overOwnVersion(version -> state.replace(objectName(), next.toBytes(), version));
            expiresAt = next.expiresAt();
        } catch (StateConflictException e) {
            lost = true;
            log.warn("replay.lease_lost").streamId(stream).partition(partition).reason("holder " + holder).write();
            throw new LeaseLostException(partition, holder);
        }
    }

    /**
     * Writes over the version this holder last wrote. If that is no longer the stored one, the answer to its last
     * write may have been lost on the way back (conditional writes are never retried): then the write goes over the
     * stored version if that still names this holder — holder names are unique, no one else writes this one.
     * @throws StateConflictException when another holder's version is stored, or none
     */
    private String overOwnVersion(UnaryOperator<String> write) {
        try {
            return write.apply(etag);
        } catch (StateConflictException e) {
            StateObject stored = state.read(objectName()).orElseThrow(() -> e);
            LeaseRecord record = LeaseRecord.parse(stored.body());
            if (record == null || !record.holder().equals(holder)) {
                throw e;
            }
            return write.apply(stored.etag());
        }
    }

    private String objectName() {
        return PartitionLease.objectName(stream, partition);
    }

    void renewQuietly() {
        try {
            renew();
        } catch (LeaseLostException e) {
            cancelRenewal();
        } catch (RuntimeException e) {
            // tried again at the next tick; held() turns false if the lease runs out meanwhile
            log.warn("replay.lease_not_renewed").streamId(stream).partition(partition)
                    .code(e.getClass().getSimpleName()).write();
        }
    }

    /**
     * Releases the lease for the next holder. A release that fails leaves the lease to expire by itself
     * ({@code ttl} at most): logged, never thrown, because the holder's work is done by then.
     */
    @Override
    public synchronized void close() {
        cancelRenewal();
        if (lost || released) {
            return;
        }
        released = true;
        try {
            overOwnVersion(version -> {
                state.delete(objectName(), version);
                return version;
            });
        } catch (StateConflictException | StateUnavailableException e) {
            log.warn("replay.lease_not_released").streamId(stream).partition(partition)
                    .code(e.getClass().getSimpleName()).write();
        }
    }

    private synchronized void cancelRenewal() {
        if (renewal != null) {
            renewal.cancel(false);
        }
    }
}
