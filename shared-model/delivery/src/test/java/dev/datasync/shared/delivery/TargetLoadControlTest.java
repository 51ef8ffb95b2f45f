package dev.datasync.shared.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.BreakerSettings;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.DeliverySettings;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.config.TargetLimits;
import dev.datasync.shared.delivery.internal.DeliveryJob;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.BatchReport;
import dev.datasync.shared.routing.ErrorStreamRouter;
import dev.datasync.shared.routing.InboundMessage;
import dev.datasync.shared.routing.RouteSelector;
import dev.datasync.shared.routing.RoutedMessage;
import dev.datasync.shared.testing.LimitedTarget;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.After;
import org.junit.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * Per-target load control against real local HTTP targets: isolation of a slow target, the adaptive limit against
 * a target of fixed capacity, the pause a Retry-After asks for, the circuit breaker's life and its routing, and the
 * rate cap of {@code target_limits}.
 */
public class TargetLoadControlTest {

    private final ConcurrentLinkedQueue<String> logLines = new ConcurrentLinkedQueue<>();
    private final Clock clock = Clock.systemUTC();
    private final JsonLog log = JsonLog.to(logLines::add, clock);
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @After
    public void tearDown() throws Exception {
        Collections.reverse(closeAfter);
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closedAfter(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    private BatchDelivery adaptive(DeliverySettings s, TargetLimits caps, BreakerSettings breaker) {
        return closedAfter(Engines.build(s, TargetControls.adaptive(s, caps, breaker, clock, log), log));
    }

    private static DeliveryJob post(String key, URI target, String syncId) {
        return Engines.post(key, target, syncId);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private List<JsonNode> logged(String event) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : logLines) {
            JsonNode n;
            try {
                n = Json.parse(line.getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new AssertionError("a log line is not JSON: " + line, e);
            }
            if (event.equals(n.path("event").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    public void aSlowTargetDoesNotTakeTheWorkersOfAFastOne() {
        ScriptedTarget slow = closedAfter(ScriptedTarget.start()).fallback(Reply.status(200).delayed(600));
        ScriptedTarget fast = closedAfter(ScriptedTarget.start()).fallback(Reply.status(200).delayed(5));
        DeliverySettings s = Engines.settings(8, 1, 5000, 20, 200);
        // a fixed limit of 8 would let the slow target take every worker: only the fair share holds it back
        BatchDelivery engine = closedAfter(Engines.build(s,
                TargetControls.fixed(8, TargetLimits.NONE, BreakerSettings.DEFAULT, clock, log), log));
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            jobs.add(post(null, slow.uri("/slow"), "slow-" + i)); // first in the batch: offered first
        }
        for (int i = 0; i < 32; i++) {
            jobs.add(post(null, fast.uri("/fast"), "fast-" + i));
        }

        List<DeliveryOutcome> out = engine.deliverAll(jobs, Deadline.in(Duration.ofSeconds(30)));

        assertTrue(out.stream().allMatch(DeliveryOutcome::delivered));
        long fastDone = fast.received().stream().mapToLong(ScriptedTarget.Received::endNanos).max().orElseThrow();
        long firstSlowDone = slow.received().stream().mapToLong(ScriptedTarget.Received::endNanos).min().orElseThrow();
        // the fast target kept its share of the workers: all 32 of its calls ended before the slow target answered
        // its first one (600 ms). Without the share, every worker would wait on the slow target from the start.
        assertTrue("fast target done " + ms(fastDone - firstSlowDone) + " ms after the first slow answer",
                fastDone < firstSlowDone);
    }

    @Test
    public void theAdaptiveLimitKeepsCallsWithinATargetsCapacity() {
        LimitedTarget target = closedAfter(LimitedTarget.start(4, 20));
        BatchDelivery engine = adaptive(Engines.settings(16, 6, 2000, 20, 100), TargetLimits.NONE,
                BreakerSettings.DEFAULT);
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            jobs.add(post(null, target.uri("/capacity"), "c-" + i));
        }

        List<DeliveryOutcome> out = engine.deliverAll(jobs, Deadline.in(Duration.ofSeconds(60)));

        assertTrue(out.stream().filter(o -> !o.delivered()).map(o -> o.failure().toString()).toList()
                + " refused " + target.refused() + " served " + target.served(),
                out.stream().allMatch(DeliveryOutcome::delivered));
        int calls = target.served() + target.refused();
        // 16 calls at once against a capacity of 4 would have 12 of every 16 refused; the limit finds 4 and then
        // probes one call higher about once a second
        System.out.println("adaptive limit against capacity 4: " + target.refused() + " of " + calls
                + " calls refused");
        assertTrue(target.refused() + " of " + calls + " calls were refused", target.refused() * 10 <= calls);
    }

    @Test
    public void retryAfterPausesTheWholeTarget() {
        ScriptedTarget target = closedAfter(ScriptedTarget.start());
        target.script("/throttled", Reply.status(429).withHeader("Retry-After", "1"));
        BatchDelivery engine = adaptive(Engines.settings(4, 3, 2000, 20, 200), TargetLimits.NONE,
                BreakerSettings.DEFAULT);
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            jobs.add(post(null, target.uri("/throttled"), "t-" + i));
        }

        List<DeliveryOutcome> out = engine.deliverAll(jobs, Deadline.in(Duration.ofSeconds(10)));

        assertTrue(out.stream().allMatch(DeliveryOutcome::delivered));
        List<ScriptedTarget.Received> calls = new ArrayList<>(target.received("/throttled"));
        calls.sort(Comparator.comparingLong(ScriptedTarget.Received::startNanos));
        assertEquals(9, calls.size()); // the 429, its retry, and 7 others
        long pausedAt = calls.get(0).endNanos();
        // a call that was already on its way when the 429 was answered may arrive a moment later; none after that
        // until the second the target asked for has passed
        for (ScriptedTarget.Received r : calls.subList(1, calls.size())) {
            long after = ms(r.startNanos() - pausedAt);
            assertTrue("a call reached the paused target " + after + " ms after the 429", after < 50 || after >= 900);
        }
        assertEquals(1, logged("target.paused").size());
    }

    @Test
    public void aPauseEndingAfterTheDeadlineRoutesTheWaitingMessagesAtOnceWithTheirReason() {
        ScriptedTarget target = closedAfter(ScriptedTarget.start());
        target.script("/later", Reply.status(503).withHeader("Retry-After", "120"));
        // one worker: the first call is answered before any other is made
        BatchDelivery engine = adaptive(Engines.settings(1, 3, 2000, 20, 200), TargetLimits.NONE,
                BreakerSettings.DEFAULT);
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(post(null, target.uri("/later"), "p-" + i));
        }
        long start = System.nanoTime();

        List<DeliveryOutcome> out = engine.deliverAll(jobs, Deadline.in(Duration.ofSeconds(5)));

        assertTrue("took " + ms(System.nanoTime() - start) + " ms", ms(System.nanoTime() - start) < 3000);
        assertEquals(1, target.received("/later").size());
        String called = target.received("/later").get(0).header("Idempotency-Key");
        for (int i = 0; i < out.size(); i++) {
            DeliveryOutcome o = out.get(i);
            if (jobs.get(i).syncId().equals(called)) {
                assertEquals(Integer.valueOf(503), o.failure().status());
                continue;
            }
            assertEquals(FailureKind.TARGET_PAUSED, o.failure().kind());
            assertEquals(0, o.attempts());
            assertEquals("routed like the answer that paused the target", Integer.valueOf(503),
                    o.routeBy().status());
        }
    }

    @Test
    public void theBreakerOpensRoutesCircuitOpenInKeyOrderGoesHalfOpenAndCloses() throws Exception {
        ScriptedTarget target = closedAfter(ScriptedTarget.start());
        target.byDefault("/down", Reply.status(500));
        BreakerSettings breaker = new BreakerSettings(new LinkedHashSet<>(BreakerSettings.DEFAULT_FAILURES), 50, 4,
                Duration.ofMillis(500), 2);
        // one worker: the calls are made one after the other, in batch order
        BatchDelivery engine = adaptive(Engines.settings(1, 1, 2000, 20, 200), TargetLimits.NONE, breaker);
        List<RoutedMessage> placed = new CopyOnWriteArrayList<>();
        BatchPipeline pipeline = new BatchPipeline(engine, new ErrorStreamRouter((stream, messages) -> {
            placed.addAll(messages);
            return Collections.nCopies(messages.size(), null);
        }, log), true, log);
        RouteSelector routes = RouteSelector.of(DataSyncConfig.from(TestConfigs.valid()).errorRouting());

        // a window of 4 is judged from its second call on: 2 failed calls of 2, and the breaker opens; the rest of
        // the batch is not called
        List<InboundMessage> failing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            failing.add(message(null, target.uri("/down"), "f-" + i, i));
        }
        BatchReport opened = pipeline.process(failing, Deadline.in(Duration.ofSeconds(10)), routes, null);
        assertEquals(2, target.received("/down").size());
        assertEquals(Integer.valueOf(500), opened.outcomes().get(1).failure().status());
        assertEquals(FailureKind.CIRCUIT_OPEN, opened.outcomes().get(2).failure().kind());

        // open: not attempted, routed as circuitOpen; the rest of the key held back behind it, in order
        placed.clear();
        BatchReport open = pipeline.process(List.of(
                        message("K", target.uri("/down"), "k-1", 10),
                        message("K", target.uri("/down"), "k-2", 11),
                        message("K", target.uri("/down"), "k-3", 12)),
                Deadline.in(Duration.ofSeconds(10)), routes, null);
        assertEquals(2, target.received("/down").size());
        assertEquals(3, open.routed());
        assertEquals(List.of("k-1", "k-2", "k-3"), placed.stream().map(RoutedMessage::syncId).toList());
        for (RoutedMessage m : placed) {
            assertEquals("recoverable: the redrive picks it up", TestConfigs.UNAVAILABLE, m.stream());
        }
        JsonNode k1 = Json.parse(placed.get(0).value()).get("lastError");
        assertEquals("circuitOpen", k1.get("kind").asText());
        assertTrue(k1.get("reason").asText(), k1.get("reason").asText().contains("circuit breaker"));
        assertEquals("heldBack", Json.parse(placed.get(1).value()).get("lastError").get("kind").asText());
        assertEquals(FailureKind.CIRCUIT_OPEN, open.outcomes().get(2).routeBy().kind());

        // after the open time, two probe calls succeed and the breaker closes
        Thread.sleep(600);
        target.byDefault("/down", Reply.status(200));
        BatchReport probes = pipeline.process(List.of(
                        message("P", target.uri("/down"), "p-1", 20),
                        message("P", target.uri("/down"), "p-2", 21)),
                Deadline.in(Duration.ofSeconds(10)), routes, null);
        assertEquals(2, probes.delivered());
        BatchReport closed = pipeline.process(List.of(message(null, target.uri("/down"), "after", 30)),
                Deadline.in(Duration.ofSeconds(10)), routes, null);
        assertEquals(1, closed.delivered());

        List<String> transitions = logged("target.circuit").stream().map(n -> n.get("outcome").asText()).toList();
        assertEquals(List.of("open", "half_open", "closed"), transitions);
    }

    private static InboundMessage message(String key, URI target, String syncId, long offset) {
        return InboundMessage.decoded(key, ("{\"targetRestApi\":\"" + target + "\",\"targetRestApiOperation\":"
                + "\"POST\",\"targetRestApiPayload\":{\"orderid\":\"18jan\"},\"syncId\":\"" + syncId + "\"}")
                .getBytes(StandardCharsets.UTF_8), new Source("DataSyncStream", "0", offset));
    }

    @Test
    public void aBreakerTurnedOffNeverOpens() {
        ScriptedTarget target = closedAfter(ScriptedTarget.start());
        target.byDefault("/down", Reply.status(500));
        BatchDelivery engine = adaptive(Engines.settings(4, 1, 2000, 20, 200), TargetLimits.NONE,
                BreakerSettings.OFF);
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            jobs.add(post(null, target.uri("/down"), "d-" + i));
        }
        List<DeliveryOutcome> out = engine.deliverAll(jobs, Deadline.in(Duration.ofSeconds(10)));
        assertTrue(out.stream().allMatch(o -> Integer.valueOf(500).equals(o.failure().status())));
        assertEquals(30, target.received("/down").size());
        assertTrue(logged("target.circuit").isEmpty());
    }

    @Test
    public void rateCapsAreHeld() {
        ScriptedTarget target = closedAfter(ScriptedTarget.start());
        int port = target.uri("/").getPort();
        // 40/s for the application, delivered by 2 containers: this one may make 20 calls a second
        Map<String, String> config = TestConfigs.with("target_limits", "127.0.0.1:" + port + "=40/s");
        config.put("target_limits_containers", "2");
        TargetLimits caps = DataSyncConfig.from(config).targetLimits();
        BatchDelivery engine = adaptive(Engines.settings(8, 1, 2000, 20, 200), caps, BreakerSettings.DEFAULT);
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            jobs.add(post(null, target.uri("/capped"), "r-" + i));
        }

        List<DeliveryOutcome> out = engine.deliverAll(jobs, Deadline.in(Duration.ofSeconds(30)));

        assertTrue(out.stream().allMatch(DeliveryOutcome::delivered));
        List<Long> starts = target.received("/capped").stream().map(ScriptedTarget.Received::startNanos).sorted()
                .toList();
        assertEquals(45, starts.size());
        // no second holds more than 20 calls: any 21 consecutive calls span at least a second (less 100 ms for the
        // calls' own jitter between leaving the engine and reaching the target)
        for (int i = 0; i + 20 < starts.size(); i++) {
            long span = ms(starts.get(i + 20) - starts.get(i));
            assertTrue("21 calls within " + span + " ms", span >= 900);
        }
        // an uncapped target next to it is not slowed by the cap
        ScriptedTarget other = closedAfter(ScriptedTarget.start());
        long t0 = System.nanoTime();
        List<DeliveryJob> free = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            free.add(post(null, other.uri("/free"), "u-" + i));
        }
        assertTrue(engine.deliverAll(free, Deadline.in(Duration.ofSeconds(30))).stream()
                .allMatch(DeliveryOutcome::delivered));
        assertTrue("uncapped: " + ms(System.nanoTime() - t0) + " ms", ms(System.nanoTime() - t0) < 900);
    }

    @Test
    public void eachTargetAuthorityHasItsOwnControl() {
        TargetControls controls = TargetControls.adaptive(Engines.settings(32, 1, 2000, 20, 200), TargetLimits.NONE,
                BreakerSettings.DEFAULT, clock, log);
        TargetControl a = controls.of(TargetAuthority.of(URI.create("https://orders.example.com/a")));
        assertTrue(a == controls.of(TargetAuthority.of(URI.create("https://ORDERS.example.com:443/b?x=1"))));
        assertFalse(a == controls.of(TargetAuthority.of(URI.create("https://orders.example.com:8443/a"))));
        assertFalse(a == controls.of(TargetAuthority.of(URI.create("http://orders.example.com/a"))));
        assertEquals("a new target starts at two calls", 2, a.limit());
        Set<String> states = new LinkedHashSet<>();
        controls.states().forEach(st -> states.add(st.authority() + " " + st.breaker()));
        assertEquals(Set.of("http://orders.example.com:80 CLOSED", "https://orders.example.com:443 CLOSED",
                "https://orders.example.com:8443 CLOSED"), states);
        assertNull(controls.states().get(0).pausedUntil());
    }
}
