package dev.datasync.shared.ordering;

import dev.datasync.shared.config.KeyOrdering.HeldOnDeadLetter;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.ordering.internal.HeldIndexStore;
import dev.datasync.shared.state.InMemoryStateObjects;
import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateUnavailableException;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/**
 * The held keys over the state port (Object Storage's conditional semantics, in memory): what a reader is told per
 * message, how settling advances, releases or dead-letters a key, and what it costs in state calls.
 */
public class KeyOrderTest {

    private static final String SU = "ocid1.stream.oc1.iad.unavailable";
    private static final String IS = "ocid1.stream.oc1.iad.internal";
    private static final String UNRECOVERABLE = "ocid1.stream.oc1.iad.unrecoverable";
    private static final KeyRef K1 = new KeyRef("orders-app", "k1");

    private final InMemoryStateObjects state = new InMemoryStateObjects();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final JsonLog log = JsonLog.to(logLines::add, Clock.systemUTC());

    /** A container's ordering: each instance keeps its own copy of the index, as containers do. */
    private KeyOrder container(HeldOnDeadLetter onDeadLetter) {
        return KeyOrder.over(state, onDeadLetter, Set.of(UNRECOVERABLE), UNRECOVERABLE, log);
    }

    private KeyOrder container() {
        return container(HeldOnDeadLetter.RELEASE);
    }

    /** k1#1 failed and waits in the ServiceUnavailable stream. */
    private void k1FirstFailed(KeyOrder order) {
        OrderingPass pass = order.begin();
        assertEquals(Verdict.GO, pass.verdict(K1, "k1#1"));
        pass.settle(List.of(Settlement.waiting(K1, "k1#1", SU)));
    }

    @Test
    public void aLaterMessageOfAFailedKeyIsHeldBehindItInItsStreamAcrossBatchesAndContainers() {
        k1FirstFailed(container());
        // the next batch, in another container (a restart: nothing in memory)
        OrderingPass next = container().begin();
        assertEquals(new Verdict.Hold("k1#1", SU), next.verdict(K1, "k1#2"));
        // another source's k1 and keyless-like other keys are not held
        assertEquals(Verdict.GO, next.verdict(new KeyRef("billing", "k1"), "b#1"));
        assertEquals(Verdict.GO, next.verdict(new KeyRef("orders-app", "k2"), "k2#1"));
    }

    @Test
    public void aBlockerReadAfterItsFollowerStillGoesAndTheFollowersOfAHeldMessageWait() {
        KeyOrder order = container();
        k1FirstFailed(order);
        OrderingPass read = order.begin();
        read.verdict(K1, "k1#2");
        read.settle(List.of(Settlement.waiting(K1, "k1#2", SU)));

        // the redrive re-appended k1#1 after k1#2 had been appended: a page holds k1#2, k1#1, then a new k1#3
        OrderingPass page = container().begin();
        assertEquals(new Verdict.Hold("k1#1", SU), page.verdict(K1, "k1#2"));
        assertEquals("the blocker goes although a follower came first", Verdict.GO, page.verdict(K1, "k1#1"));
        assertEquals("behind k1#2, which waits in this batch", new Verdict.Hold("k1#2", SU),
                page.verdict(K1, "k1#3"));
    }

    @Test
    public void theKeyStaysHeldWhileAnyMessageOfItWaitsEvenAfterItsBlockerIsDelivered() {
        KeyOrder order = container();
        k1FirstFailed(order);
        OrderingPass read = order.begin();
        read.verdict(K1, "k1#2");
        read.settle(List.of(Settlement.waiting(K1, "k1#2", SU)));

        // a replay page holding only the blocker delivers it
        OrderingPass replay = container().begin();
        assertEquals(Verdict.GO, replay.verdict(K1, "k1#1"));
        replay.settle(List.of(Settlement.delivered(K1, "k1#1")));

        // k1#2 is still undelivered: a message arriving now waits behind it, and k1#2 itself may go
        OrderingPass later = container().begin();
        assertEquals(new Verdict.Hold("k1#2", SU), later.verdict(K1, "k1#3"));
        assertEquals(Verdict.GO, container().begin().verdict(K1, "k1#2"));
        OrderingPass last = container().begin();
        last.verdict(K1, "k1#2");
        last.settle(List.of(Settlement.delivered(K1, "k1#2")));
        assertEquals(Verdict.GO, container().begin().verdict(K1, "k1#3"));
    }

    @Test
    public void messagesQueuedTogetherGoInOneBatchInOrderButNotAheadOfTheirBlocker() {
        KeyOrder order = container();
        k1FirstFailed(order);
        OrderingPass read = order.begin();
        read.verdict(K1, "k1#2");
        read.settle(List.of(Settlement.waiting(K1, "k1#2", SU)));

        // a page with both, in order: the engine tries k1#2 only after k1#1 was delivered
        OrderingPass page = order.begin();
        assertEquals(Verdict.GO, page.verdict(K1, "k1#1"));
        assertEquals(Verdict.GO, page.verdict(K1, "k1#2"));
        // a page starting after the blocker: k1#2 waits
        assertEquals(new Verdict.Hold("k1#1", SU), order.begin().verdict(K1, "k1#2"));
    }

    @Test
    public void aBlockerThatEndsReleasesWhatWasHeldBehindItByDefault() {
        KeyOrder order = container();
        k1FirstFailed(order);
        OrderingPass read = order.begin();
        read.verdict(K1, "k1#2");
        read.verdict(K1, "k1#3");
        read.settle(List.of(Settlement.waiting(K1, "k1#2", SU), Settlement.waiting(K1, "k1#3", SU)));

        OrderingPass redrive = order.begin();
        redrive.verdict(K1, "k1#1");
        redrive.settle(List.of(Settlement.ended(K1, "k1#1")));

        OrderingPass after = order.begin();
        assertEquals(Verdict.GO, after.verdict(K1, "k1#2"));
        assertEquals(Verdict.GO, after.verdict(K1, "k1#3"));
        assertEquals(new Verdict.Hold("k1#2", SU), order.begin().verdict(K1, "k1#3"));
        assertTrue(logLines.toString(), logLines.stream().anyMatch(l -> l.contains("\"event\":\"key.released\"")
                && l.contains("\"syncId\":\"k1#1\"") && l.contains("\"held\":2")));
    }

    @Test
    public void withDeadLetterTheMessagesHeldBehindAnEndedBlockerEndWithIt() {
        KeyOrder order = container(HeldOnDeadLetter.DEAD_LETTER);
        k1FirstFailed(order);
        OrderingPass read = order.begin();
        read.verdict(K1, "k1#2");
        read.settle(List.of(Settlement.waiting(K1, "k1#2", SU)));
        OrderingPass redrive = order.begin();
        redrive.verdict(K1, "k1#1");
        redrive.settle(List.of(Settlement.ended(K1, "k1#1")));

        assertEquals(new Verdict.DeadLetter("k1#1"), order.begin().verdict(K1, "k1#2"));
        // a message arriving after the blocker ended was never held behind it
        assertEquals(Verdict.GO, order.begin().verdict(K1, "k1#9"));
        OrderingPass end = order.begin();
        end.verdict(K1, "k1#2");
        end.settle(List.of(Settlement.ended(K1, "k1#2")));
        assertTrue(order.begin().verdict(K1, "k1#2") instanceof Verdict.Go);
        assertTrue(logLines.toString(), logLines.stream().anyMatch(l -> l.contains("key.dead_lettered")));
    }

    @Test
    public void theBlockerMovingToAnotherStreamTakesTheKeyWithIt() {
        KeyOrder order = container();
        k1FirstFailed(order);
        OrderingPass replay = order.begin();
        replay.verdict(K1, "k1#1");
        replay.settle(List.of(Settlement.waiting(K1, "k1#1", IS)));
        assertEquals(new Verdict.Hold("k1#1", IS), order.begin().verdict(K1, "k1#2"));
    }

    @Test
    public void oneStateReadPerBatchAndNoWriteUnlessAHeldKeyChanges() {
        KeyOrder order = container();
        int before = state.calls();
        OrderingPass pass = order.begin();
        for (int i = 0; i < 500; i++) {
            pass.verdict(new KeyRef("orders-app", "key-" + i), "s-" + i);
        }
        List<Settlement> delivered = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            delivered.add(Settlement.delivered(new KeyRef("orders-app", "key-" + i), "s-" + i));
        }
        pass.settle(delivered);
        assertEquals("one read for 500 keyed messages, no write", before + 1, state.calls());

        // a failure: one conditional write for the whole batch
        OrderingPass failing = order.begin();
        List<Settlement> failed = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            failing.verdict(new KeyRef("orders-app", "key-" + i), "f-" + i);
            failed.add(Settlement.waiting(new KeyRef("orders-app", "key-" + i), "f-" + i, SU));
        }
        failing.settle(failed);
        assertEquals(before + 3, state.calls());
    }

    @Test
    public void aContainerRevalidatesItsCopyAndSeesAnotherContainersChange() {
        KeyOrder a = container();
        KeyOrder b = container();
        assertEquals(Verdict.GO, a.begin().verdict(K1, "k1#1"));
        k1FirstFailed(b);
        assertEquals(new Verdict.Hold("k1#1", SU), a.begin().verdict(K1, "k1#2"));
        // b delivers it: a sees the key free again
        OrderingPass replay = b.begin();
        replay.verdict(K1, "k1#1");
        replay.settle(List.of(Settlement.delivered(K1, "k1#1")));
        assertEquals(Verdict.GO, a.begin().verdict(K1, "k1#2"));
    }

    @Test
    public void racingContainersBothKeepTheirChanges() {
        KeyOrder a = container();
        KeyOrder b = container();
        OrderingPass fromA = a.begin();
        OrderingPass fromB = b.begin();
        KeyRef k2 = new KeyRef("orders-app", "k2");
        fromA.verdict(K1, "k1#1");
        fromB.verdict(k2, "k2#1");
        fromA.settle(List.of(Settlement.waiting(K1, "k1#1", SU)));
        // b began before a wrote: its conditional write loses, reads again and applies its change to a's
        fromB.settle(List.of(Settlement.waiting(k2, "k2#1", IS)));
        OrderingPass now = container().begin();
        assertEquals(new Verdict.Hold("k1#1", SU), now.verdict(K1, "k1#x"));
        assertEquals(new Verdict.Hold("k2#1", IS), now.verdict(k2, "k2#x"));
    }

    @Test
    public void aStoreThatKeepsRefusingTheWriteIsUnavailableNotIgnored() {
        AtomicInteger writes = new AtomicInteger();
        KeyOrder order = KeyOrder.over(new ConflictingState(state, writes), HeldOnDeadLetter.RELEASE,
                Set.of(UNRECOVERABLE), UNRECOVERABLE, log);
        OrderingPass pass = order.begin();
        pass.verdict(K1, "k1#1");
        assertThrows(StateUnavailableException.class, () -> pass.settle(List.of(Settlement.waiting(K1, "k1#1", SU))));
        assertTrue(writes.get() > 1);
    }

    @Test
    public void theIndexIsOneObjectUnderHeldWithNeitherKeysNorSourcesInPlainText() {
        k1FirstFailed(container());
        assertEquals(List.of(HeldIndexStore.NAME), state.list("held/", 10));
        String body = new String(state.read(HeldIndexStore.NAME).orElseThrow().body(), StandardCharsets.UTF_8);
        assertFalse(body, body.contains("orders-app"));
        assertFalse(body, body.contains("\"k1\""));
        assertTrue(body, body.contains("k1#1"));
        assertNotEquals(new KeyRef("a", "bc").id(), new KeyRef("ab", "c").id());
    }

    @Test
    public void offReadsAndWritesNothing() {
        OrderingPass pass = KeyOrder.off().begin();
        assertEquals(Verdict.GO, pass.verdict(K1, "k1#1"));
        pass.settle(List.of(Settlement.waiting(K1, "k1#1", SU)));
        assertEquals(0, state.calls());
        assertFalse(KeyOrder.off().enabled());
    }

    /** A store where every conditional write loses a race. */
    private record ConflictingState(InMemoryStateObjects inner, AtomicInteger writes)
            implements dev.datasync.shared.state.StateObjects {
        @Override
        public Optional<StateObject> read(String name) {
            return inner.read(name);
        }

        @Override
        public Optional<StateObject> readIfChanged(String name, StateObject same) {
            return inner.readIfChanged(name, same);
        }

        @Override
        public String create(String name, byte[] body) {
            writes.incrementAndGet();
            throw new StateConflictException(name);
        }

        @Override
        public String replace(String name, byte[] body, String etag) {
            writes.incrementAndGet();
            throw new StateConflictException(name);
        }

        @Override
        public void delete(String name, String etag) {
            throw new StateConflictException(name);
        }

        @Override
        public List<String> list(String prefix, int limit) {
            return inner.list(prefix, limit);
        }
    }
}
