package dev.datasync.shared.oci.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Values by key, loaded at most once at a time per key and kept for a time-to-live. Callers asking for a key while
 * it loads wait for that one load and get its value, or its failure; a failure is never kept, so the next caller
 * loads again. A time-to-live of zero keeps nothing: only callers at the same time share a load. Thread-safe.
 */
public final class SingleFlightCache<K, V> {

    private record Kept<V>(V value, Instant expires) {
    }

    private final Duration ttl;
    private final Clock clock;
    private final UnaryOperator<V> shared;
    private final ConcurrentHashMap<K, Kept<V>> kept = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<K, CompletableFuture<V>> loading = new ConcurrentHashMap<>();

    /**
     * @param shared what is kept and given to every caller but the loading one, made of a loaded value (a value may
     *               say something true only for the call that loaded it, such as "this call created it")
     */
    public SingleFlightCache(Duration ttl, Clock clock, UnaryOperator<V> shared) {
        this.ttl = ttl;
        this.clock = clock;
        this.shared = shared;
    }

    public SingleFlightCache(Duration ttl, Clock clock) {
        this(ttl, clock, UnaryOperator.identity());
    }

    /** The kept value of {@code key}, or the value of one {@code load} (non-null), shared with concurrent callers. */
    public V get(K key, Supplier<V> load) {
        V value = fresh(key);
        if (value != null) {
            return value;
        }
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = loading.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        try {
            // a load that ended between the look above and putIfAbsent has kept its value already
            value = fresh(key);
            if (value != null) {
                mine.complete(value);
                return value;
            }
            V loaded = Objects.requireNonNull(load.get(), "a load returned null");
            V forOthers = shared.apply(loaded);
            put(key, forOthers);
            mine.complete(forOthers);
            return loaded;
        } catch (Throwable e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key, mine);
        }
    }

    /** Keeps {@code value} for {@code key} from now on for the time-to-live. */
    public void put(K key, V value) {
        if (!ttl.isZero()) {
            kept.put(key, new Kept<>(value, clock.instant().plus(ttl)));
        }
    }

    /** Forgets the kept value of {@code key} (a load under way still keeps its own when it ends). */
    public void invalidate(K key) {
        kept.remove(key);
    }

    private V fresh(K key) {
        Kept<V> k = kept.get(key);
        return k != null && k.expires().isAfter(clock.instant()) ? k.value() : null;
    }
}
