package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.monitoring.Monitoring;
import com.oracle.bmc.monitoring.model.Datapoint;
import com.oracle.bmc.monitoring.model.FailedMetricRecord;
import com.oracle.bmc.monitoring.model.MetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataDetails;
import com.oracle.bmc.monitoring.requests.PostMetricDataRequest;
import com.oracle.bmc.monitoring.responses.PostMetricDataResponse;
import dev.datasync.shared.config.MetricsSettings;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.Metric;
import dev.datasync.shared.metrics.MetricsSink;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link MetricsSink} over OCI Monitoring's PostMetricData, namespace {@value MetricsSettings#NAMESPACE}. Metrics of
 * the same name and dimensions are one metric stream (one entry, several datapoints); at most
 * {@value #MAX_STREAMS_PER_CALL} streams go in one call, as Monitoring allows, and each call is NON_ATOMIC so one bad
 * stream does not drop the others. A failure (refused streams, an error answer, no connection) is logged as one JSON
 * line per publish and never thrown: the figures are not the messages.
 * <p>
 * The client must point at the {@code telemetry-ingestion} host ({@link OciClients#monitoring()} does).
 */
public final class MonitoringMetricsSink implements MetricsSink {

    /** "Maximum of 50 unique metric streams per call" (PostMetricData). */
    static final int MAX_STREAMS_PER_CALL = 50;

    private final Supplier<Monitoring> client;
    private final String compartmentId;
    private final JsonLog log;

    public MonitoringMetricsSink(Supplier<Monitoring> client, String compartmentId, JsonLog log) {
        this.client = client;
        this.compartmentId = compartmentId;
        this.log = log;
    }

    /** The sink the settings ask for: Monitoring in their compartment, or {@link MetricsSink#NONE} without one. */
    public static MetricsSink of(MetricsSettings settings, Supplier<Monitoring> client, JsonLog log) {
        return settings.compartmentOcid()
                .<MetricsSink>map(compartment -> new MonitoringMetricsSink(client, compartment, log))
                .orElse(MetricsSink.NONE);
    }

    @Override
    public void publish(List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        List<MetricDataDetails> streams = streams(metrics);
        Failures failures = new Failures();
        for (int from = 0; from < streams.size(); from += MAX_STREAMS_PER_CALL) {
            post(streams.subList(from, Math.min(streams.size(), from + MAX_STREAMS_PER_CALL)), failures);
        }
        failures.logIfAny(log, streams.size());
    }

    /** One entry per distinct (name, dimensions), datapoints in the order given. */
    private List<MetricDataDetails> streams(List<Metric> metrics) {
        Map<StreamKey, List<Datapoint>> points = new LinkedHashMap<>();
        for (Metric m : metrics) {
            points.computeIfAbsent(new StreamKey(m.name(), m.dimensions()), k -> new ArrayList<>())
                    .add(Datapoint.builder().timestamp(Date.from(m.at())).value(m.value()).count(m.count()).build());
        }
        List<MetricDataDetails> out = new ArrayList<>();
        points.forEach((key, datapoints) -> out.add(MetricDataDetails.builder()
                .namespace(MetricsSettings.NAMESPACE)
                .compartmentId(compartmentId)
                .name(key.name())
                .dimensions(key.dimensions())
                .datapoints(datapoints)
                .build()));
        return out;
    }

    private void post(List<MetricDataDetails> batch, Failures failures) {
        try {
            PostMetricDataResponse response = client.get().postMetricData(PostMetricDataRequest.builder()
                    .postMetricDataDetails(PostMetricDataDetails.builder()
                            .metricData(batch)
                            .batchAtomicity(PostMetricDataDetails.BatchAtomicity.NonAtomic)
                            .build())
                    .build());
            var details = response.getPostMetricDataResponseDetails();
            Integer refused = details == null ? null : details.getFailedMetricsCount();
            if (refused != null && refused > 0) {
                failures.refused(refused, firstRefusedName(details.getFailedMetrics()));
            }
        } catch (BmcException e) {
            failures.failed(batch.size(), e.getStatusCode(), e.getServiceCode());
        } catch (RuntimeException e) {
            failures.failed(batch.size(), 0, e.getClass().getSimpleName());
        }
    }

    private static String firstRefusedName(List<FailedMetricRecord> failed) {
        if (failed == null || failed.isEmpty() || failed.get(0).getMetricData() == null) {
            return null;
        }
        return failed.get(0).getMetricData().getName();
    }

    private record StreamKey(String name, Map<String, String> dimensions) {
    }

    /** What went wrong over the calls of one publish, logged as one line. */
    private static final class Failures {
        private int refused;
        private int unsent;
        private String firstRefusedName;
        private int status;
        private String code;

        void refused(int count, String name) {
            refused += count;
            if (firstRefusedName == null) {
                firstRefusedName = name;
            }
        }

        void failed(int streams, int status, String code) {
            unsent += streams;
            this.status = status;
            this.code = code;
        }

        void logIfAny(JsonLog log, int streams) {
            if (refused == 0 && unsent == 0) {
                return;
            }
            JsonLog.Entry e = log.warn("metrics.publish_failed").count("metricStreams", streams)
                    .count("refusedStreams", refused).count("unsentStreams", unsent);
            if (firstRefusedName != null) {
                e.field(firstRefusedName);
            }
            if (code != null) {
                e.code(code);
            }
            if (status > 0) {
                e.status(status);
            }
            e.write();
        }
    }
}
