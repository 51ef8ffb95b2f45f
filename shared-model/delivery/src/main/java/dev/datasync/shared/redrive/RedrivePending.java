package dev.datasync.shared.redrive;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.metrics.Metric;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.routing.BatchReport;

import java.time.Instant;
import java.util.Map;

/**
 * The metric {@code redrive.pending} (namespace {@code datasync}, dimension {@code stream} = the stream's name): how
 * many messages wait for the redrive in a stream — what the alarm that triggers the redrive on OCI watches. A redrive
 * pass publishes it for every stream it read (0 once the stream is drained, so the alarm clears); ReadDataStream
 * publishes, once per invocation, the number it has just routed to each redriven stream, so the alarm fires as soon
 * as something waits. Both record it in the invocation's {@link PipelineMetrics}, published with its other figures.
 */
public final class RedrivePending {

    public static final String METRIC = "redrive.pending";
    public static final String STREAM_DIMENSION = "stream";

    private final DataSyncConfig config;
    private final PipelineMetrics metrics;

    public RedrivePending(DataSyncConfig config, PipelineMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    public static Metric of(String streamName, long pending, Instant at) {
        return new Metric(METRIC, Map.of(STREAM_DIMENSION, streamName), pending, at);
    }

    /** After a batch: one figure per redriven stream the batch routed messages to (nothing when none). */
    public void routed(BatchReport report) {
        for (String stream : config.redrive().streams()) {
            int n = report.routedTo(stream);
            if (n > 0) {
                record(config.streamName(stream), n);
            }
        }
    }

    /** Records the figure of one stream (by name) in the invocation's metrics. */
    public void record(String streamName, long pending) {
        metrics.gauge(METRIC, Map.of(STREAM_DIMENSION, streamName), pending);
    }
}
