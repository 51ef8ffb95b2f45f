package dev.datasync.shared.delivery;

import dev.datasync.shared.config.BreakerSettings;
import dev.datasync.shared.config.DeliverySettings;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.config.TargetLimits;
import dev.datasync.shared.contract.Header;
import dev.datasync.shared.delivery.internal.DeliveryJob;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** The delivery engine against a real local HTTP target with scripted outcomes. */
public class DeliveryEngineTest {

    private static ScriptedTarget target;
    private final ConcurrentLinkedQueue<String> logLines = new ConcurrentLinkedQueue<>();
    private BatchDelivery engine;

    @BeforeClass
    public static void startTarget() {
        target = ScriptedTarget.start();
    }

    @AfterClass
    public static void stopTarget() {
        target.close();
    }

    @Before
    public void setUp() {
        engine = engine(settings(8, 4, 2000, 20, 200), name -> "Bearer secret-token-" + name);
    }

    @After
    public void tearDown() {
        engine.close();
        for (String line : logLines) {
            assertFalse("a token reached the log: " + line, line.contains("secret-token"));
        }
    }

    private static DeliverySettings settings(int concurrency, int attempts, long requestTimeoutMs, long base,
                                             long max) {
        return Engines.settings(concurrency, attempts, requestTimeoutMs, base, max);
    }

    private BatchDelivery engine(DeliverySettings s, TokenSource tokens) {
        return engine(s, tokens, t -> null);
    }

    private BatchDelivery engine(DeliverySettings s, TokenSource tokens, TargetCheck check) {
        JsonLog log = JsonLog.to(logLines::add, Clock.systemUTC());
        return Engines.build(s, TargetControls.adaptive(s, TargetLimits.NONE, BreakerSettings.DEFAULT,
                Clock.systemUTC(), log), tokens, check, log);
    }

    private static String uniquePath(String name) {
        return "/" + name + "-" + System.nanoTime();
    }

    private static DeliveryRequest post(URI uri, String syncId, String secret, Header... headers) {
        return new DeliveryRequest(syncId, uri, "POST", "{\"orderid\":\"18jan\"}".getBytes(StandardCharsets.UTF_8),
                List.of(headers), secret);
    }

    private DeliveryOutcome one(DeliveryRequest r, Duration budget) {
        return engine.deliverAll(List.of(DeliveryJob.deliver(null, new Source("s", "0", 1L), r)),
                Deadline.in(budget)).get(0);
    }

    @Test
    public void deliversWithTokenIdempotencyKeyAndHeadersButNeverAMessageAuthorizationEntry() {
        String path = uniquePath("ok");
        DeliveryOutcome o = one(post(target.uri(path), "sync-1", "789", new Header("Content-Type", "application/json"),
                new Header("X-Trace", "t1"), new Header("Authorization", "Basic smuggled")), Duration.ofSeconds(5));

        assertTrue(o.delivered());
        assertEquals(1, o.attempts());
        ScriptedTarget.Received r = target.received(path).get(0);
        assertEquals("POST", r.method());
        assertEquals("Bearer secret-token-789", r.header("Authorization"));
        assertEquals("sync-1", r.header("Idempotency-Key"));
        assertEquals("t1", r.header("X-Trace"));
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("{\"orderid\":\"18jan\"}", r.bodyText());
    }

    @Test
    public void withoutSecretNameNoAuthorizationIsSentAndMissingHeadersAreFine() {
        String path = uniquePath("noauth");
        DeliveryOutcome o = one(new DeliveryRequest("sync-2", target.uri(path), "DELETE", null, null, null),
                Duration.ofSeconds(5));
        assertTrue(o.delivered());
        ScriptedTarget.Received r = target.received(path).get(0);
        assertEquals("DELETE", r.method());
        assertNull(r.header("Authorization"));
        assertEquals("sync-2", r.header("Idempotency-Key"));
    }

    @Test
    public void redirectIsAFailureAndIsNotFollowed() {
        String path = uniquePath("moved");
        String other = uniquePath("elsewhere");
        target.script(path, Reply.status(302).withHeader("Location", target.baseUrl() + other));
        DeliveryOutcome o = one(post(target.uri(path), "sync-3", null), Duration.ofSeconds(5));
        assertFalse(o.delivered());
        assertEquals(Integer.valueOf(302), o.failure().status());
        assertEquals(1, o.attempts());
        assertTrue(target.received(other).isEmpty());
    }

    @Test
    public void transientStatusIsRetriedWithTheSameIdempotencyKey() {
        String path = uniquePath("flaky");
        target.script(path, Reply.status(503), Reply.status(502), Reply.status(200));
        DeliveryOutcome o = one(post(target.uri(path), "sync-4", "t"), Duration.ofSeconds(10));
        assertTrue(o.delivered());
        assertEquals(3, o.attempts());
        List<ScriptedTarget.Received> rs = target.received(path);
        assertEquals(3, rs.size());
        for (ScriptedTarget.Received r : rs) {
            assertEquals("sync-4", r.header("Idempotency-Key"));
        }
    }

    @Test
    public void permanentFailureIsNotRetried() {
        String path = uniquePath("bad");
        target.script(path, Reply.status(400));
        DeliveryOutcome o = one(post(target.uri(path), "sync-5", null), Duration.ofSeconds(5));
        assertFalse(o.delivered());
        assertEquals(Integer.valueOf(400), o.failure().status());
        assertEquals(1, o.attempts());
        assertEquals(1, target.received(path).size());
    }

    @Test
    public void attemptsAreBoundedByMaxAttempts() {
        String path = uniquePath("down");
        target.byDefault(path, Reply.status(503));
        DeliveryOutcome o = one(post(target.uri(path), "sync-6", null), Duration.ofSeconds(10));
        assertFalse(o.delivered());
        assertEquals(4, o.attempts());
        assertEquals(Integer.valueOf(503), o.failure().status());
        assertEquals(4, target.received(path).size());
    }

    @Test
    public void retryAfterIsHonoured() {
        String path = uniquePath("throttled");
        target.script(path, Reply.status(429).withHeader("Retry-After", "1"), Reply.status(200));
        DeliveryOutcome o = one(post(target.uri(path), "sync-7", null), Duration.ofSeconds(10));
        assertTrue(o.delivered());
        List<ScriptedTarget.Received> rs = target.received(path);
        long gapMs = (rs.get(1).startNanos() - rs.get(0).endNanos()) / 1_000_000;
        assertTrue("second attempt came " + gapMs + " ms after the first", gapMs >= 900);
    }

    @Test
    public void retryAfterBeyondTheRemainingTimeRoutesAtOnce() {
        String path = uniquePath("later");
        target.byDefault(path, Reply.status(503).withHeader("Retry-After", "120"));
        // Retry-After (120 s) is beyond the deadline (60 s): the message is routed after its one attempt instead of
        // waiting. Waiting would take the whole 60 s, so half of it separates the two on any machine load.
        long start = System.nanoTime();
        DeliveryOutcome o = one(post(target.uri(path), "sync-8", null), Duration.ofSeconds(60));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertFalse(o.delivered());
        assertEquals(1, o.attempts());
        assertTrue("took " + ms + " ms", ms < 30_000);
    }

    @Test
    public void slowTargetTimesOut() {
        engine.close();
        engine = engine(settings(4, 1, 300, 20, 200), n -> "x");
        String path = uniquePath("slow");
        target.script(path, Reply.status(200).delayed(1500));
        DeliveryOutcome o = one(post(target.uri(path), "sync-9", null), Duration.ofSeconds(5));
        assertFalse(o.delivered());
        assertEquals(FailureKind.TIMEOUT, o.failure().kind());
    }

    @Test
    public void refusedConnectionIsANetworkFailureRetriedThenReported() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        DeliveryOutcome o = one(post(URI.create("http://127.0.0.1:" + closedPort + "/x"), "sync-10", null),
                Duration.ofSeconds(10));
        assertFalse(o.delivered());
        assertEquals(FailureKind.NETWORK, o.failure().kind());
        assertEquals(4, o.attempts());
    }

    @Test
    public void theFunctionDeadlineBoundsRetries() {
        engine.close();
        engine = engine(settings(4, 20, 2000, 300, 300), n -> "x");
        String path = uniquePath("slowdown");
        target.byDefault(path, Reply.status(503).delayed(200));
        long start = System.nanoTime();
        long deadline = start + Duration.ofMillis(1500).toNanos();
        DeliveryOutcome o = one(post(target.uri(path), "sync-11", null), Duration.ofMillis(1500));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertFalse(o.delivered());
        assertTrue("attempts " + o.attempts(), o.attempts() >= 2 && o.attempts() < 20);
        // the deadline bounds the retries: no attempt reaches the target after it (measured where the calls land;
        // an attempt starts only with >= 50 ms left, the 250 ms grace covers its trip to the server on a loaded
        // machine, while an engine ignoring the deadline would go on for seconds), and the call returns once the
        // attempt in flight is over
        // the target records a call when it answers; the last attempt may have been cut off by the deadline
        // while the target still sleeps, so give it the reply delay to show up
        long waitUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (target.received(path).size() < o.attempts() && System.nanoTime() < waitUntil) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertEquals(o.attempts(), target.received(path).size());
        long grace = Duration.ofMillis(250).toNanos();
        for (var r : target.received(path)) {
            assertTrue("an attempt reached the target " + (r.startNanos() - deadline) / 1_000_000
                    + " ms after the deadline", r.startNanos() < deadline + grace);
        }
        assertTrue("took " + ms + " ms", ms < 1500 + 200 + 1000);
    }

    @Test
    public void aMessageTheDeadlineLeftNoTimeForIsNotStartedRatherThanFailed() {
        String path = uniquePath("late");
        DeliveryOutcome o = one(post(target.uri(path), "sync-late", null), Duration.ZERO);
        assertFalse(o.delivered());
        assertTrue(o.notStarted());
        assertEquals(0, o.attempts());
        assertEquals(FailureKind.TIMEOUT, o.routeBy().kind()); // how ReadDataStream routes it if it must
        assertTrue(target.received(path).isEmpty());
        // a message that was tried and then ran out of time is a real failure
        String slow = uniquePath("late-slow");
        target.byDefault(slow, Reply.status(503));
        DeliveryOutcome tried = one(post(target.uri(slow), "sync-late2", null), Duration.ofMillis(400));
        assertFalse(tried.notStarted());
        assertTrue(tried.attempts() >= 1);
    }

    @Test
    public void aRefusedTargetIsNeverCalled() {
        engine.close();
        engine = engine(settings(4, 4, 2000, 20, 200), n -> "x",
                uri -> Failure.of(FailureKind.INVALID, "target refused: not allowed"));
        String path = uniquePath("guarded");
        DeliveryOutcome o = one(post(target.uri(path), "sync-12", "t"), Duration.ofSeconds(5));
        assertFalse(o.delivered());
        assertEquals(FailureKind.INVALID, o.failure().kind());
        assertEquals(0, o.attempts());
        assertTrue(target.received(path).isEmpty());
    }

    @Test
    public void tokenProblemsRouteWithoutCallingTheTarget() {
        engine.close();
        engine = engine(settings(4, 4, 2000, 20, 200), name -> {
            throw new TokenUnavailableException("secret " + name + " not found", name.equals("gone"));
        });
        String path = uniquePath("token");
        DeliveryOutcome gone = one(post(target.uri(path), "sync-13", "gone"), Duration.ofSeconds(5));
        DeliveryOutcome down = one(post(target.uri(path), "sync-14", "vault-down"), Duration.ofSeconds(5));
        assertEquals(FailureKind.INVALID, gone.failure().kind());
        assertEquals(FailureKind.NETWORK, down.failure().kind());
        assertTrue(target.received(path).isEmpty());
    }

    @Test
    public void oneKeyIsSequentialWhileKeysRunInParallel() {
        String pa = uniquePath("keyA");
        String pb = uniquePath("keyB");
        target.byDefault(pa, Reply.status(200).delayed(100));
        target.byDefault(pb, Reply.status(200).delayed(100));
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jobs.add(DeliveryJob.deliver("A", null, post(target.uri(pa), "a" + i, null)));
            jobs.add(DeliveryJob.deliver("B", null, post(target.uri(pb), "b" + i, null)));
        }
        List<DeliveryOutcome> outcomes = engine.deliverAll(jobs, Deadline.in(Duration.ofSeconds(10)));
        assertTrue(outcomes.stream().allMatch(DeliveryOutcome::delivered));
        for (String p : List.of(pa, pb)) {
            List<ScriptedTarget.Received> rs = target.received(p);
            assertEquals(4, rs.size());
            for (int i = 1; i < rs.size(); i++) {
                String prefix = p.equals(pa) ? "a" : "b";
                assertEquals(prefix + i, rs.get(i).header("Idempotency-Key"));
                assertTrue("overlap within one key", rs.get(i).startNanos() >= rs.get(i - 1).endNanos());
            }
        }
        // the keys ran in parallel: the target was serving a call of key A while serving one of key B. (Measured
        // at the target, not as wall-clock time, which on a loaded machine also counts every call's overhead.)
        boolean overlapped = false;
        for (ScriptedTarget.Received a : target.received(pa)) {
            for (ScriptedTarget.Received b : target.received(pb)) {
                overlapped |= a.startNanos() < b.endNanos() && b.startNanos() < a.endNanos();
            }
        }
        assertTrue("no call of key A overlapped a call of key B", overlapped);
    }

    @Test
    public void aFailedMessageHoldsBackTheRestOfItsKey() {
        String pk = uniquePath("held");
        String po = uniquePath("other");
        target.script(pk, Reply.status(200), Reply.status(404));
        List<DeliveryJob> jobs = List.of(
                DeliveryJob.deliver("k", null, post(target.uri(pk), "k1", null)),
                DeliveryJob.deliver("k", null, post(target.uri(pk), "k2", null)),
                DeliveryJob.deliver("other", null, post(target.uri(po), "o1", null)),
                DeliveryJob.deliver("k", null, post(target.uri(pk), "k3", null)),
                DeliveryJob.invalid("k", null, "k4", Failure.of(FailureKind.INVALID, "bad")));
        List<DeliveryOutcome> out = engine.deliverAll(jobs, Deadline.in(Duration.ofSeconds(10)));
        assertTrue(out.get(0).delivered());
        assertEquals(Integer.valueOf(404), out.get(1).failure().status());
        assertTrue(out.get(2).delivered());
        assertTrue(out.get(3).heldBack());
        // never sent: its own lastError is heldBack (not the blocker's 404), naming the blocker; routed like it
        assertNull(out.get(3).failure().status());
        assertEquals(FailureKind.HELD_BACK, out.get(3).failure().kind());
        assertEquals(Integer.valueOf(404), out.get(3).routeBy().status());
        assertEquals(0, out.get(3).attempts());
        assertTrue(out.get(3).failure().reason().contains("syncId k2"));
        assertTrue(out.get(4).heldBack());
        assertEquals(FailureKind.HELD_BACK, out.get(4).failure().kind());
        assertEquals(Integer.valueOf(404), out.get(4).routeBy().status());
        assertEquals(2, target.received(pk).size());
    }

    @Test
    public void eachMessageIsPreparedByItsWorkerOnceSoEarlierCallsDoNotWaitForTheWholeBatch() {
        engine.close();
        engine = engine(settings(1, 1, 2000, 20, 200), n -> "x");
        String path = uniquePath("prepared-late");
        target.script(path, Reply.status(200), Reply.status(500));
        // batch order: a keyless message, then key k: delivered, failed, held back
        List<DeliveryJob> jobs = List.of(
                DeliveryJob.deliver(null, null, post(target.uri(path), "n1", null)),
                DeliveryJob.deliver("k", null, post(target.uri(path), "k1", null)),
                DeliveryJob.deliver("k", null, post(target.uri(path), "k2", null)),
                DeliveryJob.deliver("k", null, post(target.uri(path), "k3", null)));
        List<String> keys = new ArrayList<>();
        jobs.forEach(j -> keys.add(j.orderingKey()));
        int[] preparedTimes = new int[jobs.size()];
        int[] callsMadeWhenPrepared = new int[jobs.size()];
        List<DeliveryOutcome> out = engine.deliverAll(keys, i -> {
            preparedTimes[i]++;
            callsMadeWhenPrepared[i] = target.received(path).size();
            return jobs.get(i);
        }, Deadline.in(Duration.ofSeconds(10)));

        assertTrue(out.get(0).delivered());
        assertTrue(out.get(1).delivered());
        assertEquals(Integer.valueOf(500), out.get(2).failure().status());
        assertTrue(out.get(3).heldBack());
        assertEquals(List.of(1, 1, 1, 1), Arrays.stream(preparedTimes).boxed().toList());
        // one worker: the longest lane (k: two calls, k3 held back) runs first, then the keyless message; each
        // message is prepared only after the calls before it were made (preparing the whole batch up front, as
        // before, would show 0 everywhere)
        assertEquals(List.of(2, 0, 1, 2), Arrays.stream(callsMadeWhenPrepared).boxed().toList());
    }

    @Test
    public void concurrencyIsBounded() {
        engine.close();
        engine = engine(settings(3, 1, 2000, 20, 200), n -> "x");
        ScriptedTarget own = ScriptedTarget.start();
        try {
            own.fallback(Reply.status(200).delayed(50));
            List<DeliveryJob> jobs = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                jobs.add(DeliveryJob.deliver(null, null, post(own.uri("/c"), "c" + i, null)));
            }
            List<DeliveryOutcome> out = engine.deliverAll(jobs, Deadline.in(Duration.ofSeconds(10)));
            assertTrue(out.stream().allMatch(DeliveryOutcome::delivered));
            assertEquals(3, own.maxInFlight());
        } finally {
            own.close();
        }
    }
}
