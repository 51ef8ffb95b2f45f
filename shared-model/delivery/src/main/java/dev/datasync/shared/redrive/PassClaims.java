package dev.datasync.shared.redrive;

import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.replay.PartitionBusyException;
import dev.datasync.shared.replay.PartitionClaim;
import dev.datasync.shared.replay.PartitionClaims;
import dev.datasync.shared.replay.PartitionLease;
import dev.datasync.shared.retry.RetryService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The redrive pass's claims ({@link PartitionClaim}) on the partitions of one stream, so that the pass and a manual
 * replay never deliver or route the same messages, and a later replay of the range sends nothing again:
 * <ul>
 * <li>a partition's lease is taken when its first message is handed over, before any of them is delivered, renewed
 * while the pass runs and released when the stream's pass ends ({@link #close});</li>
 * <li>a partition a manual replay holds, or whose lease this pass lost, is skipped for the rest of the pass: its
 * messages are not settled and the group is no longer committed ({@link #mayCommit}), because a group commit moves
 * every partition of the instance at once; the next pass reads them again;</li>
 * <li>messages a replay or an earlier pass already settled (the partition's marks) are skipped: not sent or appended
 * again;</li>
 * <li>what a page settled is recorded per partition ({@link #record}) before the group is committed.</li>
 * </ul>
 * One thread at a time.
 */
final class PassClaims implements AutoCloseable {

    private final PartitionClaims claims;
    private final String stream;
    private final JsonLog log;
    private final Map<String, PartitionClaim> held = new LinkedHashMap<>();
    private final Set<String> skipped = new HashSet<>();
    private int alreadySettled;

    PassClaims(PartitionClaims claims, String stream, JsonLog log) {
        this.claims = claims;
        this.stream = stream;
        this.log = log;
    }

    /**
     * The messages of {@code page} to settle now, in page order: those of partitions this pass holds that no replay
     * or earlier pass settled.
     * @throws dev.datasync.shared.state.StateUnavailableException when a lease or the marks cannot be read (nothing
     *                                                             of the page may be settled)
     */
    List<RedriveSource.Message> toSettle(List<RedriveSource.Message> page) {
        List<RedriveSource.Message> out = new ArrayList<>(page.size());
        for (RedriveSource.Message m : page) {
            PartitionClaim claim = claimOf(m.partition());
            if (claim == null) {
                continue;
            }
            if (claim.settlementOf(m.offset()).isEmpty()) {
                out.add(m);
            } else {
                alreadySettled++;
            }
        }
        return out;
    }

    /**
     * Records {@code settled} (what {@link #toSettle} answered, all of it placed): those in {@code delivered} as
     * delivered, the others (copied forward, re-appended, dead-lettered, unrecoverable) as moved. One write per
     * partition of the page.
     * @throws dev.datasync.shared.state.StateUnavailableException when the marks cannot be written
     * @throws dev.datasync.shared.state.StateConflictException    when another writer won two races in a row
     */
    void record(List<RedriveSource.Message> settled, Set<Source> delivered) {
        Set<String> partitions = new LinkedHashSet<>();
        Map<String, List<Long>> deliveredAt = new HashMap<>();
        Map<String, List<Long>> movedAt = new HashMap<>();
        for (RedriveSource.Message m : settled) {
            partitions.add(m.partition());
            boolean ok = delivered.contains(new Source(stream, m.partition(), m.offset()));
            (ok ? deliveredAt : movedAt).computeIfAbsent(m.partition(), p -> new ArrayList<>()).add(m.offset());
        }
        for (String p : partitions) {
            held.get(p).record(deliveredAt.getOrDefault(p, List.of()), movedAt.getOrDefault(p, List.of()));
        }
    }

    /** False once a partition was skipped: committing the group would move past its messages. */
    boolean mayCommit() {
        return skipped.isEmpty();
    }

    /** Whether every partition seen so far is skipped: reading on would settle nothing. */
    boolean nothingHeld() {
        return !skipped.isEmpty() && skipped.containsAll(held.keySet());
    }

    /** Messages skipped because a replay or an earlier pass had settled them. */
    int alreadySettled() {
        return alreadySettled;
    }

    private PartitionClaim claimOf(String partition) {
        if (skipped.contains(partition)) {
            return null;
        }
        PartitionClaim claim = held.get(partition);
        if (claim == null) {
            try {
                claim = claims.take(stream, partition, PartitionLease.newHolder("redrive"), RetryService.LEASE_TTL);
            } catch (PartitionBusyException e) {
                log.info("redrive.partition_busy").streamId(stream).partition(partition).reason(e.getMessage())
                        .write();
                skipped.add(partition);
                return null;
            }
            held.put(partition, claim);
        } else if (!claim.held()) {
            log.warn("redrive.lease_lost").streamId(stream).partition(partition).reason("holder " + claim.holder())
                    .write();
            skipped.add(partition);
            return null;
        }
        return claim;
    }

    @Override
    public void close() {
        for (PartitionClaim claim : held.values()) {
            claim.close();
        }
    }
}
