package dev.datasync.shared.retry;

import dev.datasync.shared.config.BreakerSettings;
import dev.datasync.shared.config.DeliverySettings;
import dev.datasync.shared.config.TargetLimits;
import dev.datasync.shared.delivery.BatchDelivery;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Engines;
import dev.datasync.shared.delivery.TargetControls;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.replay.PartitionBusyException;
import dev.datasync.shared.replay.PartitionClaims;
import dev.datasync.shared.replay.PartitionLease;
import dev.datasync.shared.replay.ReplayMarks;
import dev.datasync.shared.retry.ErrorStreamReader.PageHandler;
import dev.datasync.shared.retry.ErrorStreamReader.ReadResult;
import dev.datasync.shared.retry.ErrorStreamReader.StoredMessage;
import dev.datasync.shared.retry.internal.ErrorMapping;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.ErrorStreamRouter;
import dev.datasync.shared.routing.RoutedMessage;
import dev.datasync.shared.state.InMemoryStateObjects;
import dev.datasync.shared.state.OutageStateObjects;
import dev.datasync.shared.state.StateUnavailableException;
import dev.datasync.shared.testing.AtOnce;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/**
 * Replays that do not resend: RetryService with its partition lease and replay marks over in-memory state objects,
 * the real delivery engine against a real local HTTP target, the retried stream and the error streams in memory.
 * Each "container" is a RetryService with its own {@link PartitionLease}, sharing the state store.
 */
public class RetryServiceReplayTest {

    private static final String RETRIED = TestConfigs.UNAVAILABLE;
    private static final String ELSEWHERE = TestConfigs.INTERNAL;
    /** Messages per page the in-memory reader hands over. */
    private static final int PAGE = 8;

    private final List<StoredMessage> partition = new CopyOnWriteArrayList<>();
    private final Map<String, List<RoutedMessage>> appended = new ConcurrentHashMap<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final InMemoryStateObjects memory = new InMemoryStateObjects();
    private final OutageStateObjects state = new OutageStateObjects(memory);
    private final List<PartitionLease> containers = new CopyOnWriteArrayList<>();
    private final JsonLog log = JsonLog.to(logLines::add, Clock.systemUTC());
    private ScriptedTarget target;
    private BatchDelivery delivery;
    private BatchPipeline pipeline;

    @Before
    public void setUp() {
        target = ScriptedTarget.start();
        target.byDefault("/bad", Reply.status(500));
        target.byDefault("/stays", Reply.status(503));
        DeliverySettings s = Engines.settings(8, 1, 2000, 10, 50);
        // no breaker: the failing path must not stop deliveries to the good one on the same target
        delivery = Engines.build(s, TargetControls.adaptive(s, TargetLimits.NONE, BreakerSettings.OFF,
                Clock.systemUTC(), log), log);
        ErrorStreamRouter router = new ErrorStreamRouter((stream, messages) -> {
            appended.computeIfAbsent(stream, k -> new CopyOnWriteArrayList<>()).addAll(messages);
            return Collections.nCopies(messages.size(), null);
        }, log);
        pipeline = new BatchPipeline(delivery, router, true, log);
    }

    @After
    public void tearDown() {
        containers.forEach(PartitionLease::close);
        delivery.close();
        target.close();
    }

    /** A replay service in a container of its own, whose clock reads {@code ahead} later than now. */
    private RetryService container(Duration ahead) {
        Clock clock = Clock.offset(Clock.systemUTC(), ahead);
        PartitionLease leases = new PartitionLease(state, clock, log);
        containers.add(leases);
        // 500 → another error stream (moved), 503 → the retried stream itself (left in place)
        return new RetryService(this::read, pipeline,
                f -> f.status() != null && f.status() == 503 ? RETRIED : ELSEWHERE,
                new PartitionClaims(leases, new ReplayMarks(state, log)), log);
    }

    private RetryService container() {
        return container(Duration.ZERO);
    }

    /** The retried partition in memory, handed over {@link #PAGE} messages at a time. */
    private ReadResult read(String stream, String p, long after, int count, PageHandler pages) {
        reads.incrementAndGet();
        List<StoredMessage> remaining = partition.stream().filter(m -> m.offset() > after).limit(count).toList();
        int handed = 0;
        for (int from = 0; from < remaining.size(); from += PAGE) {
            List<StoredMessage> page = remaining.subList(from, Math.min(remaining.size(), from + PAGE));
            handed += page.size();
            if (!pages.accept(page)) {
                return new ReadResult(handed, false, false, true);
            }
        }
        long tip = partition.isEmpty() ? -1 : partition.get(partition.size() - 1).offset();
        long last = remaining.isEmpty() ? after : remaining.get(remaining.size() - 1).offset();
        return new ReadResult(handed, last >= tip, false, false);
    }

    /** Stores messages at offsets 0, 1, … with syncIds {@code prefix + offset}; {@code path} picks the outcome. */
    private void store(String prefix, Function<Integer, String> path, int n) {
        for (int i = 0; i < n; i++) {
            String body = "{\"targetRestApi\":\"" + target.baseUrl() + path.apply(i) + "\","
                    + "\"targetRestApiOperation\":\"POST\",\"targetRestApiPayload\":{\"n\":" + i + "},"
                    + "\"syncId\":\"" + prefix + i + "\",\"deliveryAttempts\":4}";
            partition.add(new StoredMessage(null, body.getBytes(StandardCharsets.UTF_8), partition.size()));
        }
    }

    private static RetryRequest all(int n) {
        return new RetryRequest(RETRIED, n, -1, "0", List.of());
    }

    private static Deadline deadline() {
        return Deadline.in(Duration.ofSeconds(30));
    }

    /** How many times the target received each syncId on {@code path}. */
    private Map<String, Long> receivedTimes(String path) {
        return target.received(path).stream().collect(Collectors.groupingBy(r -> r.header("Idempotency-Key"),
                Collectors.counting()));
    }

    private List<String> appendedSyncIds(String stream) {
        return appended.getOrDefault(stream, List.of()).stream().map(RoutedMessage::syncId).toList();
    }

    @Test
    public void aSecondReplayOfTheSameRangeSendsNothingAgain() {
        // 30 messages: every third fails with 500 and is moved to another error stream
        store("m", i -> i % 3 == 2 ? "/bad" : "/good", 30);

        int before = memory.calls();
        RetryResponse first = container().retry(all(30), deadline());
        int stateCalls = memory.calls() - before;
        assertEquals(20, first.processedmessages());
        assertEquals(10, first.failedMessages());
        assertEquals(10, first.routedMessages());
        assertEquals(0, first.alreadyDeliveredMessages());
        assertEquals(29, first.lastReadOffset());
        assertTrue(first.endOfStream());
        // no round trip per message: take the lease (2), read the marks (1), one write per page (4), release (1)
        assertEquals("state calls", 4 + (30 + PAGE - 1) / PAGE, stateCalls);

        RetryResponse second = container().retry(all(30), deadline());
        assertEquals(0, second.processedmessages());
        assertEquals(0, second.failedMessages());
        assertEquals(20, second.alreadyDeliveredMessages());
        assertEquals("moved messages are not appended again", 10, second.alreadyMovedMessages());
        assertEquals(29, second.lastReadOffset());
        assertTrue(second.endOfStream());

        Map<String, Long> times = receivedTimes("/good");
        assertEquals(20, times.size());
        assertTrue(times.toString(), times.values().stream().allMatch(t -> t == 1));
        assertEquals(10, appendedSyncIds(ELSEWHERE).size());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("retry.done") && l.contains("\"alreadyDelivered\":20")));
    }

    @Test
    public void failuresLeftInPlaceAreReplayedAgainTheDeliveredOnesAreNot() {
        store("p", i -> i % 2 == 0 ? "/good" : "/stays", 6);

        RetryResponse first = container().retry(all(6), deadline());
        assertEquals(3, first.processedmessages());
        assertEquals(3, first.leftInPlaceMessages());
        target.byDefault("/stays", Reply.status(200));
        RetryResponse second = container().retry(all(6), deadline());
        assertEquals(3, second.processedmessages());
        assertEquals(3, second.alreadyDeliveredMessages());
        assertEquals(0, second.alreadyMovedMessages());

        assertEquals(3, target.received("/good").size());
        assertEquals("tried in both replays", 6, target.received("/stays").size());
        RetryResponse third = container().retry(all(6), deadline());
        assertEquals(6, third.alreadyDeliveredMessages());
    }

    @Test
    public void fiveConcurrentReplaysOfOneRangeDeliverAndRouteEachMessageAtMostOnce() throws Exception {
        store("c", i -> i % 3 == 0 ? "/bad" : "/slow", 30);
        target.byDefault("/slow", Reply.status(200).delayed(20));
        List<RetryService> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(container());
        }

        List<Object> results = AtOnce.run(5, i -> five.get(i).retry(all(30), deadline()));

        List<RetryResponse> answered = results.stream().filter(RetryResponse.class::isInstance)
                .map(RetryResponse.class::cast).toList();
        List<PartitionBusyException> busy = results.stream().filter(PartitionBusyException.class::isInstance)
                .map(PartitionBusyException.class::cast).toList();
        assertEquals(results.toString(), 5, answered.size() + busy.size());
        assertFalse("someone replayed", answered.isEmpty());
        assertFalse("someone was told the partition is busy", busy.isEmpty());
        busy.forEach(b -> assertTrue(b.retryAfterSeconds() >= 1
                && b.retryAfterSeconds() <= RetryService.LEASE_TTL.plus(PartitionLease.CLOCK_LEEWAY).toSeconds()));
        assertEquals(20, answered.stream().mapToInt(RetryResponse::processedmessages).sum());
        assertEquals(10, answered.stream().mapToInt(RetryResponse::routedMessages).sum());

        Map<String, Long> times = receivedTimes("/slow");
        assertEquals(20, times.size());
        assertTrue("each good message delivered exactly once: " + times,
                times.values().stream().allMatch(t -> t == 1));
        List<String> routed = appendedSyncIds(ELSEWHERE);
        assertEquals("each failure appended at most once: " + routed, 10, routed.size());
        assertEquals(10, routed.stream().distinct().count());

        // a caller told 409 asks again once the replay is over: everything is already settled
        RetryResponse again = five.get(0).retry(all(30), deadline());
        assertEquals(20, again.alreadyDeliveredMessages());
        assertEquals(10, again.alreadyMovedMessages());
        assertEquals(0, again.processedmessages() + again.failedMessages());
        assertEquals(20, target.received("/slow").size());
    }

    @Test
    public void aCrashedReplaysLeaseKeepsOthersOutUntilItExpires() {
        store("x", i -> "/good", 4);
        PartitionLease crashed = new PartitionLease(state, Clock.systemUTC(), log);
        crashed.acquire(RETRIED, "0", PartitionLease.newHolder("replay"), RetryService.LEASE_TTL);
        crashed.close(); // the container dies: no renewal, no release

        PartitionBusyException busy = assertThrows(PartitionBusyException.class,
                () -> container().retry(all(4), deadline()));
        assertTrue(busy.holder(), busy.holder().startsWith("replay-"));
        assertEquals(0, reads.get());
        assertTrue(target.received().isEmpty());

        // once the ttl (and the clock leeway) has passed, the next replay takes the partition over
        Duration later = RetryService.LEASE_TTL.plus(PartitionLease.CLOCK_LEEWAY).plusSeconds(1);
        RetryResponse r = container(later).retry(all(4), deadline());
        assertEquals(4, r.processedmessages());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("replay.lease_taken_over")));
    }

    @Test
    public void aStateOutageProcessesNothing() {
        store("o", i -> "/good", 4);
        state.takeDown();

        assertThrows(StateUnavailableException.class, () -> container().retry(all(4), deadline()));
        assertEquals(0, reads.get());
        assertTrue(target.received().isEmpty());
        assertTrue(appended.isEmpty());
    }

    @Test
    public void aPageWhoseMarksCannotBeWrittenIsNotCountedAndIsSentOnceMoreUnderTheSameKey() {
        store("w", i -> "/good", 2 * PAGE);
        // the state store stops taking writes while the second page is being delivered
        target.onRequest(r -> {
            if (r.header("Idempotency-Key").equals("w" + PAGE)) {
                state.takeWritesDown();
            }
        });
        RetryResponse cut = container().retry(all(2 * PAGE), deadline());
        target.onRequest(null);
        state.restore();
        assertEquals("only the recorded page is claimed", PAGE, cut.processedmessages());
        assertEquals(PAGE - 1, cut.lastReadOffset());
        assertFalse(cut.endOfStream());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("retry.marks_not_written")));

        // its lease could not be released either: the next call comes after it expired
        Duration later = RetryService.LEASE_TTL.plus(PartitionLease.CLOCK_LEEWAY).plusSeconds(1);
        RetryResponse next = container(later).retry(new RetryRequest(RETRIED, 2 * PAGE, cut.lastReadOffset(), "0",
                List.of()), deadline());
        assertEquals(PAGE, next.processedmessages());
        Map<String, Long> times = receivedTimes("/good");
        for (int i = 0; i < 2 * PAGE; i++) {
            assertEquals("w" + i, i < PAGE ? 1L : 2L, (long) times.get("w" + i));
        }
    }

    @Test
    public void theFirstPageUnrecordedIsAStateOutageNotAnAnswer() {
        store("f", i -> "/good", 3);
        target.onRequest(r -> state.takeWritesDown());
        try {
            assertThrows(StateUnavailableException.class, () -> container().retry(all(3), deadline()));
        } finally {
            target.onRequest(null);
            state.restore();
        }
    }

    @Test
    public void aReplayFromTheOldestRetainedMessageDropsMarksOfOffsetsNoLongerRetained() throws Exception {
        store("t", i -> "/good", 6);
        container().retry(all(6), deadline());
        partition.removeIf(m -> m.offset() < 4); // retention trimmed the partition
        container().retry(all(6), deadline());
        String marks = new String(memory.read(ReplayMarks.objectName(RETRIED, "0")).orElseThrow().body(),
                StandardCharsets.UTF_8);
        assertTrue(marks, marks.contains("\"delivered\":\"4-5\""));
    }

    @Test
    public void anErrormappingRouteToTheRetriedStreamLeavesInPlaceAndIsNotMarked() {
        store("e", i -> "/bad", 2);
        RetryResponse r = container().retry(new RetryRequest(RETRIED, 2, -1, "0",
                List.of(new ErrorMapping("500", RETRIED))), deadline());
        assertEquals(2, r.leftInPlaceMessages());
        RetryResponse again = container().retry(all(2), deadline());
        assertEquals("not marked: tried again and now moved", 2, again.routedMessages());
        assertEquals(0, again.alreadyMovedMessages());
    }
}
