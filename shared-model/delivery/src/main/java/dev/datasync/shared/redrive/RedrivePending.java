package dev.datasync.shared.redrive;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.metrics.Metric;
import dev.datasync.shared.metrics.MetricsSink;
import dev.datasync.shared.routing.BatchReport;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The metric {@code redrive.pending} (namespace {@code datasync}, dimension {@code stream} = the stream's name): how
 * many messages wait for the redrive in a stream — what the alarm that triggers the redrive on OCI watches. A redrive
 * pass publishes it for every stream it read (0 once the stream is drained, so the alarm clears); ReadDataStream
 * publishes, once per invocation, the number it has just routed to each redriven stream, so the alarm fires as soon
 * as something waits.
 */
public final class RedrivePending {

    public static final String METRIC = "redrive.pending";
    public static final String STREAM_DIMENSION = "stream";

    private final DataSyncConfig config;
    private final MetricsSink sink;
    private final Clock clock;

    public RedrivePending(DataSyncConfig config, MetricsSink sink, Clock clock) {
        this.config = config;
        this.sink = sink;
        this.clock = clock;
    }

    public static Metric of(String streamName, long pending, Instant at) {
        return new Metric(METRIC, Map.of(STREAM_DIMENSION, streamName), pending, at);
    }

    /** After a batch: one figure per redriven stream the batch routed messages to (nothing when none). */
    public void routed(BatchReport report) {
        List<Metric> out = new ArrayList<>();
        Instant now = clock.instant();
        for (String stream : config.redrive().streams()) {
            int n = report.routedTo(stream);
            if (n > 0) {
                out.add(of(config.streamName(stream), n, now));
            }
        }
        if (!out.isEmpty()) {
            sink.publish(out);
        }
    }
}
