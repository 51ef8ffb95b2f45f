package dev.datasync.shared.ordering.internal;

import dev.datasync.shared.config.KeyOrdering.HeldOnDeadLetter;
import dev.datasync.shared.ordering.Settlement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch's settlements applied, in batch order, to a held index:
 * <ul>
 *   <li>delivered: the message leaves its key's queue (the next one becomes the blocker);</li>
 *   <li>waiting: a message not yet queued joins the tail (the first one of a key makes it held, in its stream);
 *   the blocker that waits in another stream moves the key there;</li>
 *   <li>ended: the message leaves the queue; what was queued behind it is released (it stays queued, in order) or,
 *   with {@code deadLetter}, moves to the key's dead-lettered list.</li>
 * </ul>
 * Pure: the same settlements applied to a newer index after a lost conditional write give the same decisions.
 */
public final class IndexChanges {

    /** A blocker that ended with messages queued behind it: they were released or dead-lettered with it. */
    public record BlockerEnded(String keyId, String blocker, int behind, HeldOnDeadLetter what) {
    }

    public record Result(HeldIndex index, List<BlockerEnded> ended) {
    }

    private IndexChanges() {
    }

    public static Result apply(HeldIndex index, List<Settlement> settlements, HeldOnDeadLetter onDeadLetter) {
        Map<String, HeldEntry> keys = new HashMap<>(index.keys());
        List<BlockerEnded> ended = new ArrayList<>();
        for (Settlement s : settlements) {
            String id = s.key().id();
            HeldEntry before = keys.get(id);
            HeldEntry after = switch (s.outcome()) {
                case DELIVERED -> before == null ? null : without(before, s.syncId());
                case WAITING -> waiting(before, s.syncId(), s.stream());
                case ENDED -> before == null ? null : ended(id, before, s.syncId(), onDeadLetter, ended);
            };
            if (after == null || after.isEmpty()) {
                keys.remove(id);
            } else {
                keys.put(id, after);
            }
        }
        return new Result(new HeldIndex(keys), ended);
    }

    private static HeldEntry without(HeldEntry e, String syncId) {
        List<String> q = new ArrayList<>(e.queue());
        q.remove(syncId);
        return e.withQueue(q).withoutDeadLettered(syncId);
    }

    private static HeldEntry waiting(HeldEntry e, String syncId, String stream) {
        if (e == null) {
            return HeldEntry.waitingIn(stream, syncId);
        }
        if (e.deadLettered().contains(syncId)) {
            return e;
        }
        int at = e.queue().indexOf(syncId);
        if (at < 0) {
            return e.appended(syncId, stream);
        }
        // the key's messages wait where its blocker waits: a message held later joins it there
        return at == 0 ? e.inStream(stream) : e;
    }

    private static HeldEntry ended(String id, HeldEntry e, String syncId, HeldOnDeadLetter onDeadLetter,
                                   List<BlockerEnded> ended) {
        if (e.deadLettered().contains(syncId)) {
            return e.withoutDeadLettered(syncId);
        }
        int at = e.queue().indexOf(syncId);
        if (at < 0) {
            return e;
        }
        List<String> kept = new ArrayList<>(e.queue().subList(0, at));
        List<String> behind = e.queue().subList(at + 1, e.queue().size());
        if (!behind.isEmpty()) {
            ended.add(new BlockerEnded(id, syncId, behind.size(), onDeadLetter));
        }
        if (onDeadLetter == HeldOnDeadLetter.DEAD_LETTER) {
            return e.withQueue(kept).deadLettering(behind, syncId);
        }
        kept.addAll(behind);
        return e.withQueue(kept);
    }
}
