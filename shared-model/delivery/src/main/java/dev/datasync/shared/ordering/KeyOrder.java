package dev.datasync.shared.ordering;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.KeyOrdering;
import dev.datasync.shared.config.KeyOrdering.HeldOnDeadLetter;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.ordering.internal.HeldIndexStore;
import dev.datasync.shared.state.StateObjects;

import java.util.Set;

/**
 * Per-key order across batches, partitions, containers and restarts: while a message of a key ({@link KeyRef}) is
 * undelivered, no later message of that key is delivered ahead of it. The keys that have undelivered messages in
 * an error stream are held in one object of the state bucket ({@code held/keys.json}): each with its undelivered
 * messages in order (the first is the blocker) and the error stream they wait in.
 * <p>
 * Every reader of messages, ReadDataStream, the manual replay and the redrive, does the same two things per batch:
 * {@link #begin} (one state read, answered 304 when nothing changed) and, when the batch is settled,
 * {@link OrderingPass#settle} (a conditional write, only when a keyed message failed or a held key changed) —
 * before the messages are placed in their error streams, so a crash in between leaves state that names messages
 * the redelivered batch places again, never messages in a stream the state does not know.
 * Between the two, {@link OrderingPass#verdict} says for each keyed message whether it may go.
 * <p>
 * Off ({@code key_ordering=false}): no state is read or written and every message may go; the delivery engine
 * still keeps a key's order inside one batch.
 */
public final class KeyOrder {

    private static final KeyOrder OFF = new KeyOrder(null, KeyOrdering.DEFAULT.heldOnDeadLetter(), Set.of(), null,
            null);

    private final HeldIndexStore store;
    private final HeldOnDeadLetter onDeadLetter;
    private final Set<String> endStreams;
    private final String deadLetterStream;
    private final JsonLog log;

    private KeyOrder(HeldIndexStore store, HeldOnDeadLetter onDeadLetter, Set<String> endStreams,
                     String deadLetterStream, JsonLog log) {
        this.store = store;
        this.onDeadLetter = onDeadLetter;
        this.endStreams = Set.copyOf(endStreams);
        this.deadLetterStream = deadLetterStream;
        this.log = log;
    }

    /** No ordering state: every message may go (the engine still keeps order inside a batch). */
    public static KeyOrder off() {
        return OFF;
    }

    /**
     * @param endStreams       streams where a message ends (never retried by the redrive): a failure placed there
     *                         ends its blocker's hold
     * @param deadLetterStream where a message dead-lettered with its blocker goes
     */
    public static KeyOrder over(StateObjects state, HeldOnDeadLetter onDeadLetter, Set<String> endStreams,
                                String deadLetterStream, JsonLog log) {
        return new KeyOrder(new HeldIndexStore(state), onDeadLetter, endStreams, deadLetterStream, log);
    }

    /**
     * The application's ordering: off when {@code key_ordering=false}; messages end in the unrecoverable stream and
     * in the DeadLetterStream (where the redrive gives up on them); those dead-lettered with their blocker go to the
     * unrecoverable stream, as the rest of a batch's key follows its blocker there.
     */
    public static KeyOrder of(DataSyncConfig config, StateObjects state, JsonLog log) {
        KeyOrdering o = config.ordering();
        if (!o.enabled()) {
            return off();
        }
        String unrecoverable = config.streams().unrecoverable();
        return over(state, o.heldOnDeadLetter(), Set.of(unrecoverable, config.redrive().deadLetterStream()),
                unrecoverable, log);
    }

    public boolean enabled() {
        return store != null;
    }

    public HeldOnDeadLetter onDeadLetter() {
        return onDeadLetter;
    }

    /** Whether a message placed in {@code stream} has ended (it is never retried automatically). */
    public boolean ends(String stream) {
        return endStreams.contains(stream);
    }

    public String deadLetterStream() {
        return deadLetterStream;
    }

    /**
     * How many keys are held now (each has an undelivered message in an error stream that later messages of the
     * key wait behind): one state read; 0 when ordering is off.
     *
     * @throws dev.datasync.shared.state.StateUnavailableException the state cannot be read
     */
    public int heldKeys() {
        return enabled() ? store.read().index().keys().size() : 0;
    }

    /**
     * The held keys as they are now: one state read (a 304 when this container's copy is current).
     *
     * @throws dev.datasync.shared.state.StateUnavailableException the state cannot be read: deliver nothing keyed
     */
    public OrderingPass begin() {
        return enabled() ? new OrderingPass(store, store.read(), onDeadLetter, log) : OrderingPass.unordered();
    }
}
