package dev.datasync.shared.state;


import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link StateObjects} in memory with Object Storage's conditional semantics (a new random etag per write,
 * If-None-Match / If-Match compared exactly), for the delivery module's tests, which run without local-oci. Counts
 * the calls, so a test can hold a path to its round trips.
 */
public final class InMemoryStateObjects implements StateObjects {

    private final ConcurrentSkipListMap<String, StateObject> objects = new ConcurrentSkipListMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public Optional<StateObject> read(String name) {
        calls.incrementAndGet();
        return Optional.ofNullable(objects.get(name));
    }

    @Override
    public Optional<StateObject> readIfChanged(String name, StateObject same) {
        calls.incrementAndGet();
        StateObject now = objects.get(name);
        if (now != null && same != null && now.etag().equals(same.etag())) {
            return Optional.of(same);
        }
        return Optional.ofNullable(now);
    }

    @Override
    public String create(String name, byte[] body) {
        calls.incrementAndGet();
        StateObject fresh = new StateObject(body, UUID.randomUUID().toString());
        if (objects.putIfAbsent(name, fresh) != null) {
            throw new StateConflictException(name);
        }
        return fresh.etag();
    }

    @Override
    public String replace(String name, byte[] body, String etag) {
        calls.incrementAndGet();
        StateObject fresh = new StateObject(body, UUID.randomUUID().toString());
        StateObject[] seen = new StateObject[1];
        objects.computeIfPresent(name, (k, old) -> {
            seen[0] = old;
            return old.etag().equals(etag) ? fresh : old;
        });
        if (seen[0] == null || !seen[0].etag().equals(etag)) {
            throw new StateConflictException(name);
        }
        return fresh.etag();
    }

    @Override
    public void delete(String name, String etag) {
        calls.incrementAndGet();
        StateObject old = objects.get(name);
        if (old == null) {
            return;
        }
        if (!old.etag().equals(etag) || !objects.remove(name, old)) {
            throw new StateConflictException(name);
        }
    }

    @Override
    public List<String> list(String prefix, int limit) {
        calls.incrementAndGet();
        return objects.tailMap(prefix).keySet().stream().takeWhile(n -> n.startsWith(prefix)).limit(limit).toList();
    }

    /** Calls made so far. */
    public int calls() {
        return calls.get();
    }
}
