package dev.datasync.shared.metrics;

import java.util.List;

/**
 * Where a function's figures go: OCI Monitoring's PostMetricData on OCI and in local-oci. A function publishes once
 * per invocation (never once per message); a failure to publish is logged by the sink and never fails the
 * invocation, since the figures are not the messages.
 */
public interface MetricsSink {

    /** Publishes nothing: for a configuration without Monitoring. */
    MetricsSink NONE = metrics -> { };

    void publish(List<Metric> metrics);
}
