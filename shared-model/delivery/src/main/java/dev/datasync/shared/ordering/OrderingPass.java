package dev.datasync.shared.ordering;

import dev.datasync.shared.config.KeyOrdering.HeldOnDeadLetter;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.ordering.internal.HeldEntry;
import dev.datasync.shared.ordering.internal.HeldIndex;
import dev.datasync.shared.ordering.internal.HeldIndexStore;
import dev.datasync.shared.ordering.internal.IndexChanges;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One batch's view of the held keys ({@link KeyOrder#begin}): {@link #verdict} per keyed message, in the key's
 * batch order, then {@link #settle} once. Thread-safe: the delivery workers ask for verdicts concurrently.
 */
public final class OrderingPass {

    private final HeldIndexStore store;
    private final HeldIndexStore.Snapshot snapshot;
    private final HeldOnDeadLetter onDeadLetter;
    private final JsonLog log;
    /** keyId + "\n" + syncId of every keyed message asked about so far in this batch. */
    private final Set<String> asked = ConcurrentHashMap.newKeySet();
    /** Those of them told to wait (held or dead-lettered with their blocker): they are not delivered in this batch. */
    private final Set<String> toldToWait = ConcurrentHashMap.newKeySet();
    /** The held keys as this pass left them (the snapshot it read until {@link #settle} wrote another). */
    private volatile HeldIndex after;

    OrderingPass(HeldIndexStore store, HeldIndexStore.Snapshot snapshot, HeldOnDeadLetter onDeadLetter,
                 JsonLog log) {
        this.store = store;
        this.snapshot = snapshot;
        this.onDeadLetter = onDeadLetter;
        this.log = log;
        this.after = snapshot == null ? null : snapshot.index();
    }

    static OrderingPass unordered() {
        return new OrderingPass(null, null, HeldOnDeadLetter.RELEASE, null);
    }

    /**
     * Whether a keyed message may be delivered now. It must wait when an earlier undelivered message of its key is
     * queued — except one that comes before it in this batch and may go itself: those were asked about first (the
     * engine takes a key's messages in batch order) and the engine delivers this one only if they were delivered.
     * One told to wait in this batch still holds it. A message the state does not know yet (new on DataSyncStream,
     * or in an error stream from before) counts as later than every queued one.
     * <p>
     * The queue, not the batch, gives the order: a held message may come before its blocker in a stream (it was
     * appended while the redrive re-appended the blocker), and the blocker then still goes — the engine does not
     * let a held message hold back the rest of its lane ({@code BatchPipeline}).
     */
    public Verdict verdict(KeyRef key, String syncId) {
        if (snapshot == null) {
            return Verdict.GO;
        }
        String id = key.id();
        Verdict v = Verdict.GO;
        try {
            HeldEntry e = snapshot.index().get(id);
            if (e == null) {
                return v;
            }
            if (e.deadLettered().contains(syncId)) {
                v = new Verdict.DeadLetter(e.deadBehind());
                return v;
            }
            int at = e.queue().indexOf(syncId);
            List<String> earlier = at >= 0 ? e.queue().subList(0, at) : e.queue();
            for (String s : earlier) {
                String earlierId = id + "\n" + s;
                if (!asked.contains(earlierId) || toldToWait.contains(earlierId)) {
                    v = new Verdict.Hold(s, e.stream());
                    return v;
                }
            }
            return v;
        } finally {
            if (v != Verdict.GO) {
                toldToWait.add(id + "\n" + syncId);
            }
            asked.add(id + "\n" + syncId);
        }
    }

    /**
     * Records what became of the batch's keyed messages: one conditional write when a held key changed (a keyed
     * message failed, or a queued one was delivered or ended), none otherwise. Call it before placing the batch's
     * failures in their error streams.
     *
     * @throws dev.datasync.shared.state.StateUnavailableException the state could not be written: the batch must
     *                                                             not be acknowledged
     */
    public void settle(List<Settlement> settlements) {
        if (snapshot == null || settlements.isEmpty()) {
            return;
        }
        HeldIndexStore.Written<List<IndexChanges.BlockerEnded>> w = store.update(snapshot, index -> {
            IndexChanges.Result r = IndexChanges.apply(index, settlements, onDeadLetter);
            return new HeldIndexStore.Change<>(r.index(), r.ended());
        });
        after = w.snapshot().index();
        for (IndexChanges.BlockerEnded b : w.detail()) {
            log.info(b.what() == HeldOnDeadLetter.RELEASE ? "key.released" : "key.dead_lettered")
                    .syncId(b.blocker()).keyId(b.keyId()).count("held", b.behind()).write();
        }
    }

    /**
     * How many keys are held, by the error stream (OCID) their blocker waits in, as this pass left them — 0 for a
     * stream whose keys it released; empty when keys are not ordered across batches.
     */
    public Optional<Map<String, Integer>> heldByStream() {
        if (snapshot == null) {
            return Optional.empty();
        }
        Map<String, Integer> out = new HashMap<>();
        snapshot.index().keys().values().forEach(e -> {
            if (e.stream() != null) {
                out.put(e.stream(), 0);
            }
        });
        after.keys().values().forEach(e -> {
            if (!e.queue().isEmpty()) {
                out.merge(e.stream(), 1, Integer::sum);
            }
        });
        return Optional.of(out);
    }
}
