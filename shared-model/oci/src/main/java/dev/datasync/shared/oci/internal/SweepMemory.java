package dev.datasync.shared.oci.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a sweeper remembers between sweeps so that it need not read a secret again: the secrets that are not ours,
 * and until when ours are certainly not stale. Bounded: a memory that is full is cleared (forgetting only costs a
 * GetSecret). Thread-safe.
 */
final class SweepMemory {

    static final int MAX_REMEMBERED = 50_000;

    /** secret id → until when it is certainly not stale */
    private final Map<String, Instant> freshUntil = new ConcurrentHashMap<>();
    private final Set<String> foreignIds = ConcurrentHashMap.newKeySet();

    boolean isForeign(String id) {
        return foreignIds.contains(id);
    }

    boolean isFresh(String id, Instant now) {
        Instant fresh = freshUntil.get(id);
        return fresh != null && now.isBefore(fresh);
    }

    void foreign(String id) {
        makeRoom(foreignIds);
        foreignIds.add(id);
    }

    void freshUntil(String id, Instant until) {
        makeRoom(freshUntil.keySet());
        freshUntil.put(id, until);
    }

    void forget(String id) {
        freshUntil.remove(id);
    }

    private static void makeRoom(Set<String> memory) {
        if (memory.size() >= MAX_REMEMBERED) {
            memory.clear();
        }
    }
}
