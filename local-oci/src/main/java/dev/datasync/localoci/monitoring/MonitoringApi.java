package dev.datasync.localoci.monitoring;

import com.oracle.bmc.monitoring.model.AggregatedDatapoint;
import com.oracle.bmc.monitoring.model.Datapoint;
import com.oracle.bmc.monitoring.model.FailedMetricRecord;
import com.oracle.bmc.monitoring.model.MetricData;
import com.oracle.bmc.monitoring.model.MetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataResponseDetails;
import com.oracle.bmc.monitoring.model.SummarizeMetricsDataDetails;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.http.Request;
import dev.datasync.localoci.http.Response;
import dev.datasync.localoci.http.Router;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Monitoring (API 20180401) on any host: OCI splits it between {@code telemetry-ingestion} (PostMetricData) and
 * {@code telemetry} (queries); here both are the one base URL.
 * <ul>
 *   <li>PostMetricData: at most {@value MetricRules#MAX_STREAMS_PER_CALL} distinct metric streams per call (else 400
 *   InvalidParameter, nothing stored). NON_ATOMIC (the default) stores the accepted objects and lists the refused ones
 *   in {@code failedMetrics}; when none is accepted, or with ATOMIC when any is refused, the call is 400
 *   InvalidParameter and nothing is stored.</li>
 *   <li>SummarizeMetricsData: {@link MqlQuery}'s queries over {@code [startTime, endTime)} (default the last 3 hours),
 *   evaluated by {@link MqlEvaluation}: one result per stream of distinct dimensions (or per group), one aggregated
 *   datapoint per window that has data, stamped with the window's start; windows start every {@code resolution}
 *   (default: the query's interval).</li>
 * </ul>
 */
final class MonitoringApi {

    private static final Duration DEFAULT_RANGE = Duration.ofHours(3);

    private final ServiceContext ctx;
    private final MetricRepository metrics;
    private final MetricRules rules;

    MonitoringApi(ServiceContext ctx, MetricRepository metrics) {
        this.ctx = ctx;
        this.metrics = metrics;
        this.rules = new MetricRules(id -> ctx.compartments().exists(id));
    }

    void register(Router router) {
        router.post("/20180401/metrics", "PostMetricData", this::post)
                .post("/20180401/metrics/actions/summarizeMetricsData", "SummarizeMetricsData", this::summarize);
    }

    private Response post(Request request) {
        PostMetricDataDetails details = request.bodyAs(PostMetricDataDetails.class);
        List<MetricDataDetails> data = details.getMetricData();
        if (data == null || data.isEmpty()) {
            throw OciException.missingParameter("metricData must hold at least one metric object");
        }
        if (streams(data) > MetricRules.MAX_STREAMS_PER_CALL) {
            throw OciException.invalidParameter("a call may post at most " + MetricRules.MAX_STREAMS_PER_CALL
                    + " unique metric streams; this one has " + streams(data));
        }
        Instant now = ctx.clock().instant();
        List<MetricRepository.Point> accepted = new ArrayList<>();
        List<FailedMetricRecord> failed = new ArrayList<>();
        for (MetricDataDetails m : data) {
            Optional<String> refusal = rules.refusal(m, now);
            if (refusal.isPresent()) {
                failed.add(FailedMetricRecord.builder().message(refusal.get()).metricData(m).build());
            } else {
                m.getDatapoints().forEach(d -> accepted.add(point(m, d)));
            }
        }
        boolean atomic = details.getBatchAtomicity() == PostMetricDataDetails.BatchAtomicity.Atomic;
        if (accepted.isEmpty() || (atomic && !failed.isEmpty())) {
            throw OciException.invalidParameter((atomic ? "ATOMIC batch refused: " : "no metric object accepted: ")
                    + failed.get(0).getMessage());
        }
        metrics.insert(accepted);
        return Response.json(PostMetricDataResponseDetails.builder()
                .failedMetricsCount(failed.size())
                .failedMetrics(failed)
                .build());
    }

    /** Distinct streams: namespace, compartment, name, resource group and dimensions. */
    private static int streams(List<MetricDataDetails> data) {
        Set<List<Object>> keys = new HashSet<>();
        for (MetricDataDetails m : data) {
            keys.add(java.util.Arrays.asList(m.getNamespace(), m.getCompartmentId(), m.getName(), m.getResourceGroup(),
                    m.getDimensions() == null ? Map.of() : new TreeMap<>(m.getDimensions())));
        }
        return keys.size();
    }

    private static MetricRepository.Point point(MetricDataDetails m, Datapoint d) {
        return new MetricRepository.Point(m.getCompartmentId(), m.getNamespace(), m.getName(), m.getResourceGroup(),
                m.getDimensions(), d.getTimestamp().getTime(), d.getValue(), d.getCount() == null ? 1 : d.getCount());
    }

    private Response summarize(Request request) {
        String compartmentId = request.requiredQuery("compartmentId");
        ctx.compartments().require(compartmentId);
        SummarizeMetricsDataDetails details = request.bodyAs(SummarizeMetricsDataDetails.class);
        if (details.getNamespace() == null || details.getNamespace().isEmpty()) {
            throw OciException.missingParameter("namespace is required");
        }
        MqlQuery.Expr query = MqlQuery.parse(details.getQuery());
        Long resolution = details.getResolution() == null ? null : checkResolution(details.getResolution()).toMillis();
        Instant end = details.getEndTime() == null ? ctx.clock().instant() : details.getEndTime().toInstant();
        Instant start = details.getStartTime() == null ? end.minus(DEFAULT_RANGE) : details.getStartTime().toInstant();
        if (!start.isBefore(end)) {
            throw OciException.invalidParameter("startTime must be before endTime");
        }
        MqlEvaluation evaluation = new MqlEvaluation(m -> metrics.find(compartmentId, details.getNamespace(),
                m.name(), details.getResourceGroup(), start.toEpochMilli(), end.toEpochMilli()),
                start.toEpochMilli(), end.toEpochMilli(), resolution);
        String name = MqlQuery.metrics(query).get(0).name();
        List<MetricData> out = new ArrayList<>();
        for (MqlEvaluation.Series series : evaluation.evaluate(query)) {
            if (series.values().isEmpty()) {
                continue;
            }
            List<AggregatedDatapoint> points = new ArrayList<>();
            series.values().forEach((at, value) -> points.add(AggregatedDatapoint.builder()
                    .timestamp(new Date(at)).value(value).build()));
            out.add(MetricData.builder()
                    .namespace(details.getNamespace())
                    .compartmentId(compartmentId)
                    .name(name)
                    .resourceGroup(details.getResourceGroup())
                    .dimensions(series.dimensions())
                    .metadata(Map.of())
                    .resolution(details.getResolution() == null ? "1m" : details.getResolution())
                    .aggregatedDatapoints(points)
                    .build());
        }
        return Response.json(out);
    }

    private static Duration checkResolution(String resolution) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+)([mhd])").matcher(resolution);
        if (!m.matches()) {
            throw OciException.invalidParameter("resolution '" + resolution + "' is not one of 1m-60m, 1h-24h, 1d");
        }
        return MqlQuery.interval(Integer.parseInt(m.group(1)), m.group(2));
    }
}
