package dev.datasync.shared.metrics;

import dev.datasync.shared.delivery.internal.AttemptRecord;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.config.FailureKind;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The one aggregator of the functions' figures (namespace {@code datasync}): every path — populate, bulk ingest,
 * ReadDataStream, Retry's replay and redrive — records into it as messages settle, and {@link #publish()} sends what
 * was recorded since the last publish in one {@link MetricsSink#publish} (about one PostMetricData per invocation,
 * never one per message). Counts are summed per (name, dimensions); {@code delivery.latency} keeps one datapoint per
 * distinct millisecond value with its {@code count}, so Monitoring's percentiles see every call; gauges keep their
 * last value.
 * <p>
 * One per container, shared by concurrent invocations: {@link #publish()} takes what is there atomically, so a
 * figure is published exactly once, by whichever invocation publishes next. A publish failure is the sink's to log;
 * anything it throws is swallowed here, so the figures never fail an invocation. {@link #OFF} records nothing.
 */
public final class PipelineMetrics {

    public static final String ACCEPTED = "sync.accepted";
    public static final String DELIVERED = "sync.delivered";
    public static final String FAILED = "sync.failed";
    public static final String ROUTED = "sync.routed";
    public static final String DEAD_LETTERED = "sync.deadLettered";
    public static final String FILTERED = "sync.filtered";
    /** Outcome callbacks by how they ended: {@code outcome} = {@code delivered} or {@code failed}. */
    public static final String CALLBACKS = "sync.callbacks";
    public static final String KEYS_HELD = "keys.held";
    public static final String LATENCY = "delivery.latency";

    public static final String SOURCE = "source";
    public static final String TARGET_HOST = "targetHost";
    public static final String KIND = "kind";
    public static final String STREAM = "stream";
    public static final String REASON = "reason";
    public static final String OUTCOME = "outcome";
    /** The {@code source} of a message that names none (accepted before sources existed). */
    public static final String UNKNOWN = "unknown";

    /** Records nothing and publishes nothing: metrics off. */
    public static final PipelineMetrics OFF = new PipelineMetrics(MetricsSink.NONE, Clock.systemUTC(), s -> s, false);

    private final MetricsSink sink;
    private final Clock clock;
    private final UnaryOperator<String> streamName;
    private final boolean on;
    private final Object lock = new Object();
    private Figures figures = new Figures();

    /**
     * @param streamName a stream's name from its OCID (the {@code stream} dimension is the name, like
     *                   {@code redrive.pending})
     */
    public PipelineMetrics(MetricsSink sink, Clock clock, UnaryOperator<String> streamName) {
        this(sink, clock, streamName, sink != MetricsSink.NONE);
    }

    private PipelineMetrics(MetricsSink sink, Clock clock, UnaryOperator<String> streamName, boolean on) {
        this.sink = sink;
        this.clock = clock;
        this.streamName = streamName;
        this.on = on;
    }

    public boolean on() {
        return on;
    }

    /** {@code n} messages of a source accepted (written to DataSyncStream). */
    public void accepted(String sourceId, int n) {
        if (on && n > 0) {
            count(ACCEPTED, Map.of(SOURCE, source(sourceId)), n);
        }
    }

    /** A message dropped by its source's filter rule. */
    public void filtered(String sourceId) {
        if (on) {
            count(FILTERED, Map.of(SOURCE, source(sourceId)), 1);
        }
    }

    /**
     * What the delivery of one message came to: {@code sync.delivered} and its call's {@code delivery.latency} when
     * delivered, and one {@code sync.failed} per failed call by kind — or one for a failure without a call (invalid,
     * circuit open, target paused, time ran out), except a message held back behind its key, which was not tried.
     */
    public void outcome(String sourceId, URI target, DeliveryOutcome o) {
        if (!on) {
            return;
        }
        String source = source(sourceId);
        String host = target == null || target.getHost() == null ? UNKNOWN : target.getHost();
        int failedCalls = 0;
        List<AttemptRecord> calls = o.calls();
        for (int i = 0; i < calls.size(); i++) {
            AttemptRecord c = calls.get(i);
            boolean ok = c.status() != null && c.status() / 100 == 2;
            if (ok && o.delivered() && i == calls.size() - 1) {
                latency(Map.of(SOURCE, source, TARGET_HOST, host), c.latencyMs());
            } else if (!ok) {
                failedCalls++;
                count(FAILED, Map.of(SOURCE, source, TARGET_HOST, host, KIND,
                        c.status() != null ? Integer.toString(c.status()) : c.kind()), 1);
            }
        }
        if (o.delivered()) {
            count(DELIVERED, Map.of(SOURCE, source, TARGET_HOST, host), 1);
        } else if (failedCalls == 0 && o.failure() != null && o.failure().kind() != FailureKind.HELD_BACK) {
            count(FAILED, Map.of(SOURCE, source, TARGET_HOST, host, KIND, kindOf(o.failure())), 1);
        }
    }

    /** A message appended to an error stream (by OCID). */
    public void routed(String sourceId, String streamOcid) {
        if (on) {
            count(ROUTED, Map.of(SOURCE, source(sourceId), STREAM, streamName.apply(streamOcid)), 1);
        }
    }

    /** A message moved to the DeadLetterStream, with its {@code deadLetterReason}. */
    public void deadLettered(String sourceId, String reason) {
        if (on) {
            count(DEAD_LETTERED, Map.of(SOURCE, source(sourceId), REASON, reason == null ? UNKNOWN : reason), 1);
        }
    }

    /** An outcome callback that ended: {@code delivered} (answered 2xx) or {@code failed} (given up). */
    public void callback(String sourceId, String outcome) {
        if (on) {
            count(CALLBACKS, Map.of(SOURCE, source(sourceId), OUTCOME, outcome), 1);
        }
    }

    /** Held keys by the stream their blocker waits in (OCID), after a batch: a gauge. */
    public void keysHeld(Map<String, Integer> byStreamOcid) {
        if (on) {
            byStreamOcid.forEach((ocid, n) -> gauge(KEYS_HELD, Map.of(STREAM, streamName.apply(ocid)), n));
        }
    }

    /** A gauge (last value wins), e.g. {@code redrive.pending}. */
    public void gauge(String name, Map<String, String> dimensions, double value) {
        if (on) {
            synchronized (lock) {
                figures.gauges.put(new Key(name, Map.copyOf(dimensions)), value);
            }
        }
    }

    /** Sends everything recorded since the last publish in one call to the sink; never throws. */
    public void publish() {
        if (!on) {
            return;
        }
        Figures taken;
        synchronized (lock) {
            if (figures.isEmpty()) {
                return;
            }
            taken = figures;
            figures = new Figures();
        }
        try {
            sink.publish(taken.metrics(clock.instant()));
        } catch (RuntimeException e) {
            // the sink logs its own failures; one that escapes must not fail the invocation either
        }
    }

    private static String source(String sourceId) {
        return sourceId == null || sourceId.isEmpty() ? UNKNOWN : sourceId;
    }

    /** The {@code kind} dimension: {@code lastError.kind}, or the HTTP status when the failure has one. */
    static String kindOf(Failure f) {
        return f.status() != null ? Integer.toString(f.status()) : f.kind().selector();
    }

    private void count(String name, Map<String, String> dimensions, double n) {
        synchronized (lock) {
            figures.counts.merge(new Key(name, dimensions), n, Double::sum);
        }
    }

    private void latency(Map<String, String> dimensions, long ms) {
        synchronized (lock) {
            figures.latencies.computeIfAbsent(dimensions, d -> new HashMap<>()).merge(ms, 1, Integer::sum);
        }
    }

    private record Key(String name, Map<String, String> dimensions) {
    }

    /** What was recorded between two publishes. */
    private static final class Figures {
        final Map<Key, Double> counts = new LinkedHashMap<>();
        final Map<Key, Double> gauges = new LinkedHashMap<>();
        final Map<Map<String, String>, Map<Long, Integer>> latencies = new LinkedHashMap<>();

        boolean isEmpty() {
            return counts.isEmpty() && gauges.isEmpty() && latencies.isEmpty();
        }

        List<Metric> metrics(Instant at) {
            List<Metric> out = new ArrayList<>();
            counts.forEach((k, v) -> out.add(new Metric(k.name(), k.dimensions(), v, at)));
            gauges.forEach((k, v) -> out.add(new Metric(k.name(), k.dimensions(), v, at)));
            latencies.forEach((dims, values) -> values.forEach((ms, n) ->
                    out.add(new Metric(LATENCY, dims, ms, at, n))));
            return out;
        }
    }
}
