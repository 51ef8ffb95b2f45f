package dev.datasync.shared.fn;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.MetricsSink;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.oci.MonitoringMetricsSink;
import dev.datasync.shared.oci.OciClients;

import java.time.Clock;

/**
 * A container's {@link PipelineMetrics}: OCI Monitoring (PostMetricData) in {@code metrics_compartment_ocid} when it
 * is set, else off (nothing recorded, nothing posted). Every composition root builds its metrics here.
 */
public final class FunctionMetrics {

    private FunctionMetrics() {
    }

    public static PipelineMetrics of(DataSyncConfig config, OciClients clients, Clock clock, JsonLog log) {
        return over(config, sink(config, clients, log), clock);
    }

    static MetricsSink sink(DataSyncConfig config, OciClients clients, JsonLog log) {
        return MonitoringMetricsSink.of(config.metrics(), clients::monitoring, log);
    }

    /** The aggregator over a sink; streams are named as the configuration names them. */
    public static PipelineMetrics over(DataSyncConfig config, MetricsSink sink, Clock clock) {
        return sink == MetricsSink.NONE ? PipelineMetrics.OFF : new PipelineMetrics(sink, clock, config::streamName);
    }
}
