package dev.datasync.shared.state;

import java.util.List;
import java.util.Optional;

/**
 * A {@link StateObjects} in front of another that tests can take down: every call, or only the writes, then fail as
 * an unreachable store does ({@link StateUnavailableException}) and reach nothing; or the writes reach the store and
 * their answers are lost on the way back.
 */
public final class OutageStateObjects implements StateObjects {

    private final StateObjects store;
    private volatile boolean down;
    private volatile boolean writesDown;
    private volatile boolean answersLost;

    public OutageStateObjects(StateObjects store) {
        this.store = store;
    }

    /** Every call fails from now on (until {@link #restore()}). */
    public void takeDown() {
        down = true;
    }

    /** Reads answer, writes fail from now on (until {@link #restore()}). */
    public void takeWritesDown() {
        writesDown = true;
    }

    /** Writes are made but answered as failed from now on (until {@link #restore()}). */
    public void loseWriteAnswers() {
        answersLost = true;
    }

    public void restore() {
        down = false;
        writesDown = false;
        answersLost = false;
    }

    private <T> T answered(T answer) {
        if (answersLost) {
            throw new StateUnavailableException("the answer was lost (test outage)", null);
        }
        return answer;
    }

    private void check(boolean write) {
        if (down || (write && writesDown)) {
            throw new StateUnavailableException("state store down (test outage)", null);
        }
    }

    @Override
    public Optional<StateObject> read(String name) {
        check(false);
        return store.read(name);
    }

    @Override
    public Optional<StateObject> readIfChanged(String name, StateObject same) {
        check(false);
        return store.readIfChanged(name, same);
    }

    @Override
    public String create(String name, byte[] body) {
        check(true);
        return answered(store.create(name, body));
    }

    @Override
    public String replace(String name, byte[] body, String etag) {
        check(true);
        return answered(store.replace(name, body, etag));
    }

    @Override
    public void delete(String name, String etag) {
        check(true);
        store.delete(name, etag);
        answered(name);
    }

    @Override
    public List<String> list(String prefix, int limit) {
        check(false);
        return store.list(prefix, limit);
    }
}
