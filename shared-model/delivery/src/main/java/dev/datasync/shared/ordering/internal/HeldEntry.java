package dev.datasync.shared.ordering.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One held key: its undelivered messages in key order ({@code queue}: the first is the blocker, the last the tail),
 * all in error stream {@code stream} (the blocker's); and, with {@code held_on_dead_letter=deadLetter}, the
 * messages that end with a blocker that ended ({@code deadLettered}, behind {@code deadBehind}). The entry stays
 * while either list has a message, so a message of the key arriving later is held even after the blocker is
 * delivered but its followers are not yet.
 */
public record HeldEntry(String stream, List<String> queue, List<String> deadLettered, String deadBehind) {

    public HeldEntry {
        queue = List.copyOf(queue);
        deadLettered = List.copyOf(deadLettered);
        if (!queue.isEmpty()) {
            Objects.requireNonNull(stream, "a held key names the stream its messages wait in");
        }
    }

    static HeldEntry waitingIn(String stream, String syncId) {
        return new HeldEntry(stream, List.of(syncId), List.of(), null);
    }

    public boolean isEmpty() {
        return queue.isEmpty() && deadLettered.isEmpty();
    }

    HeldEntry withQueue(List<String> q) {
        return new HeldEntry(stream, q, deadLettered, deadBehind);
    }

    HeldEntry inStream(String s) {
        return new HeldEntry(s, queue, deadLettered, deadBehind);
    }

    HeldEntry appended(String syncId, String streamIfFirst) {
        List<String> q = new ArrayList<>(queue);
        q.add(syncId);
        return new HeldEntry(queue.isEmpty() ? streamIfFirst : stream, q, deadLettered, deadBehind);
    }

    HeldEntry withoutDeadLettered(String syncId) {
        List<String> d = new ArrayList<>(deadLettered);
        d.remove(syncId);
        return new HeldEntry(stream, queue, d, d.isEmpty() ? null : deadBehind);
    }

    HeldEntry deadLettering(List<String> more, String behind) {
        List<String> d = new ArrayList<>(deadLettered);
        d.addAll(more);
        return new HeldEntry(stream, queue, d, behind);
    }
}
