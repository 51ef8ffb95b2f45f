package dev.datasync.shared.metrics;

import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.AttemptRecord;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.Failure;
import org.junit.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** The one aggregator: what each outcome counts as, summed per (name, dimensions), published once. */
public class PipelineMetricsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");
    private static final URI TARGET = URI.create("https://api.example.com/orders");

    private final List<List<Metric>> published = new ArrayList<>();
    private final PipelineMetrics metrics = new PipelineMetrics(published::add, Clock.fixed(NOW, ZoneOffset.UTC),
            ocid -> ocid.equals("ocid-su") ? "ServiceUnavailableErrorStream" : "other");

    private static AttemptRecord answered(int status, long ms) {
        return AttemptRecord.answered(NOW, status, ms);
    }

    @Test
    public void oneInvocationIsOnePublishOfSummedFigures() {
        metrics.accepted("orders", 3);
        metrics.accepted("orders", 2);
        metrics.accepted(null, 1);
        metrics.outcome("orders", TARGET, DeliveryOutcome.delivered(2, NOW)
                .withCalls(List.of(answered(503, 40), answered(200, 12))));
        metrics.outcome("orders", TARGET, DeliveryOutcome.delivered(1, NOW).withCalls(List.of(answered(201, 12))));
        metrics.outcome("orders", TARGET, DeliveryOutcome.failed(1, Failure.of(FailureKind.TIMEOUT, "t"), NOW)
                .withCalls(List.of(AttemptRecord.unanswered(NOW, Failure.of(FailureKind.TIMEOUT, "t"), 1000))));
        metrics.routed("orders", "ocid-su");
        metrics.deadLettered("orders", "maxAge");
        metrics.keysHeld(Map.of("ocid-su", 4));
        metrics.keysHeld(Map.of("ocid-su", 2));
        metrics.callback("orders", "delivered");
        metrics.callback("orders", "delivered");
        metrics.callback("orders", "failed");
        metrics.publish();

        assertEquals(1, published.size());
        Map<String, Double> byKey = new HashMap<>();
        Map<Double, Integer> latencies = new HashMap<>();
        for (Metric m : published.get(0)) {
            assertEquals(NOW, m.at());
            if (m.name().equals(PipelineMetrics.LATENCY)) {
                assertEquals(Map.of("source", "orders", "targetHost", "api.example.com"), m.dimensions());
                latencies.put(m.value(), m.count());
            } else {
                assertEquals("no duplicate stream: " + m, null, byKey.put(key(m.name(), m.dimensions()), m.value()));
            }
        }
        assertEquals(Map.of(
                key("sync.accepted", Map.of("source", "orders")), 5.0,
                key("sync.accepted", Map.of("source", "unknown")), 1.0,
                key("sync.delivered", Map.of("source", "orders", "targetHost", "api.example.com")), 2.0,
                key("sync.failed", Map.of("source", "orders", "targetHost", "api.example.com", "kind", "503")), 1.0,
                key("sync.failed", Map.of("source", "orders", "targetHost", "api.example.com", "kind", "timeout")), 1.0,
                key("sync.routed", Map.of("source", "orders", "stream", "ServiceUnavailableErrorStream")), 1.0,
                key("sync.deadLettered", Map.of("source", "orders", "reason", "maxAge")), 1.0,
                key("keys.held", Map.of("stream", "ServiceUnavailableErrorStream")), 2.0,
                key("sync.callbacks", Map.of("source", "orders", "outcome", "delivered")), 2.0,
                key("sync.callbacks", Map.of("source", "orders", "outcome", "failed")), 1.0), byKey);
        assertEquals("one datapoint per distinct latency, with its count", Map.of(12.0, 2), latencies);

        metrics.publish();
        assertEquals("nothing recorded since: nothing published", 1, published.size());
    }

    private static String key(String name, Map<String, String> dimensions) {
        return name + new java.util.TreeMap<>(dimensions);
    }

    @Test
    public void aFailureWithoutACallCountsOnceButAHeldBackMessageNotAtAll() {
        metrics.outcome("orders", TARGET, DeliveryOutcome.circuitOpen(0, "open", NOW));
        metrics.outcome("orders", null, DeliveryOutcome.failed(0, Failure.of(FailureKind.INVALID, "bad"), NOW));
        DeliveryOutcome blocker = DeliveryOutcome.failed(1, Failure.status(503, "x"), NOW)
                .withCalls(List.of(answered(503, 5)));
        metrics.outcome("orders", TARGET, blocker);
        metrics.outcome("orders", TARGET, DeliveryOutcome.heldBackBehind(blocker, "s1", NOW));
        metrics.publish();
        Map<String, Double> failed = new HashMap<>();
        for (Metric m : published.get(0)) {
            assertEquals(PipelineMetrics.FAILED, m.name());
            failed.merge(m.dimensions().get("targetHost") + "/" + m.dimensions().get("kind"), m.value(), Double::sum);
        }
        assertEquals(Map.of("api.example.com/circuitOpen", 1.0, "unknown/invalid", 1.0, "api.example.com/503", 1.0),
                failed);
    }

    @Test
    public void aSinkThatThrowsNeverFailsTheInvocation() {
        PipelineMetrics failing = new PipelineMetrics(m -> {
            throw new IllegalStateException("Monitoring down");
        }, Clock.systemUTC(), s -> s);
        failing.accepted("orders", 1);
        failing.publish(); // no exception
    }

    @Test
    public void offRecordsAndPublishesNothing() {
        PipelineMetrics.OFF.accepted("orders", 1);
        PipelineMetrics.OFF.publish();
        assertTrue(!PipelineMetrics.OFF.on());
    }

    @Test
    public void concurrentRecordingAndPublishingLoseAndRepeatNothing() throws Exception {
        List<List<Metric>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        PipelineMetrics shared = new PipelineMetrics(all::add, Clock.systemUTC(), s -> s);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                start.await();
                for (int i = 0; i < 1000; i++) {
                    shared.accepted("orders", 1);
                    if (i % 100 == 0) {
                        shared.publish();
                    }
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        shared.publish();
        double total = all.stream().flatMap(List::stream).mapToDouble(Metric::value).sum();
        assertEquals(4000.0, total, 0.0);
    }
}
