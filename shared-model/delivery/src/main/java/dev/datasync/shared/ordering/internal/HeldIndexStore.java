package dev.datasync.shared.ordering.internal;

import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateObjects;
import dev.datasync.shared.state.StateUnavailableException;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The held index in the state bucket, one object ({@link #NAME}) shared by every container. A container keeps the
 * last version it read, but never trusts it: {@link #read} asks Object Storage every time, and only a 304 (the
 * object is still that version) lets the kept copy stand. Changes are conditional writes on the version read
 * ({@code If-Match}, or {@code If-None-Match: *} for the first); a lost race reads the new version and applies the
 * change to it again.
 */
public final class HeldIndexStore {

    public static final String NAME = "held/keys.json";
    /** Conditional writes tried before giving up (then the caller's invocation fails and is tried again). */
    static final int MAX_WRITES = 12;

    /** The index and the object it came from (null when there is none yet). */
    public record Snapshot(HeldIndex index, StateObject object) {
        static final Snapshot NONE = new Snapshot(HeldIndex.EMPTY, null);
    }

    private final StateObjects state;
    private final AtomicReference<Snapshot> kept = new AtomicReference<>(Snapshot.NONE);

    public HeldIndexStore(StateObjects state) {
        this.state = state;
    }

    /** One round trip: the current index (the kept one when Object Storage answers that it did not change). */
    public Snapshot read() {
        Snapshot last = kept.get();
        Optional<StateObject> now = state.readIfChanged(NAME, last.object());
        Snapshot fresh;
        if (now.isEmpty()) {
            fresh = Snapshot.NONE;
        } else if (last.object() != null && now.get().etag().equals(last.object().etag())) {
            fresh = last;
        } else {
            fresh = new Snapshot(decode(now.get()), now.get());
        }
        kept.set(fresh);
        return fresh;
    }

    /**
     * Applies {@code change} to {@code base} and writes the result if it differs, conditionally on {@code base}'s
     * version; on a conflict, to the version read then, up to {@link #MAX_WRITES} times.
     *
     * @return the snapshot written (or {@code base} when nothing changed) with what the change computed
     * @throws StateUnavailableException when the store fails or the races never end
     */
    public <T> Written<T> update(Snapshot base, Function<HeldIndex, Change<T>> change) {
        Snapshot current = base;
        for (int attempt = 1; ; attempt++) {
            Change<T> c = change.apply(current.index());
            if (c.index().equals(current.index())) {
                return new Written<>(current, c.detail());
            }
            byte[] body = HeldIndexCodec.encode(c.index());
            try {
                String etag = current.object() == null ? state.create(NAME, body)
                        : state.replace(NAME, body, current.object().etag());
                Snapshot written = new Snapshot(c.index(), new StateObject(body, etag));
                kept.set(written);
                return new Written<>(written, c.detail());
            } catch (StateConflictException e) {
                if (attempt >= MAX_WRITES) {
                    throw new StateUnavailableException("the held index kept changing under " + MAX_WRITES
                            + " conditional writes", e);
                }
                pause(attempt);
                current = read();
            }
        }
    }

    /** A new index and what the change found on the way (e.g. blockers that ended). */
    public record Change<T>(HeldIndex index, T detail) {
    }

    public record Written<T>(Snapshot snapshot, T detail) {
    }

    private static HeldIndex decode(StateObject object) {
        try {
            return HeldIndexCodec.decode(object.body());
        } catch (RuntimeException e) {
            // written only by this code: a broken index must stop delivery of keyed messages, not be guessed at
            throw new StateUnavailableException("the held index " + NAME + " cannot be read ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** A short random pause between conditional writes, so racing containers spread out. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * Math.min(attempt, 5) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted while writing the held index", e);
        }
    }
}
