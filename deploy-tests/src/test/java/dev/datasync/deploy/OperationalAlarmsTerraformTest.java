package dev.datasync.deploy;

import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.monitoring.model.Datapoint;
import com.oracle.bmc.monitoring.model.MetricData;
import com.oracle.bmc.monitoring.model.MetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataDetails;
import com.oracle.bmc.monitoring.model.SummarizeMetricsDataDetails;
import com.oracle.bmc.monitoring.requests.PostMetricDataRequest;
import com.oracle.bmc.monitoring.requests.SummarizeMetricsDataRequest;
import dev.datasync.shared.config.MetricsSettings;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.redrive.RedrivePending;
import dev.datasync.shared.testing.LocalOciRule;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.datasync.deploy.ApiAuthenticationTest.attr;
import static dev.datasync.deploy.ApiAuthenticationTest.literal;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * terraform/alarms.tf against issue 11: dead letters &gt; 0, the delivery failure rate, function errors
 * ({@code oci_faas}), connector and redrive lag, each to the error topic. The alarms on the functions' own metrics
 * are run, with the variables' defaults, as SummarizeMetricsData queries on local-oci over posted figures: each
 * answers datapoints (fires) in the failing case and none in the healthy one.
 */
public class OperationalAlarmsTerraformTest {

    @ClassRule
    public static final LocalOciRule OCI = new LocalOciRule();

    private static TfConfig tf;
    private static MonitoringClient monitoring;
    private static String compartment;

    @BeforeClass
    public static void load() throws Exception {
        tf = TfConfig.load(RepoPaths.terraform());
        monitoring = MonitoringClient.builder().endpoint(OCI.baseUrl()).build(OCI.authProvider());
        compartment = OCI.oci().resources().compartments().get("DataSyncCompartment");
    }

    @AfterClass
    public static void close() {
        if (monitoring != null) {
            monitoring.close();
        }
    }

    private static TfBlock alarm(String name) {
        return tf.resource("oci_monitoring_alarm", name)
                .orElseThrow(() -> new AssertionError("oci_monitoring_alarm." + name + " is not declared"));
    }

    @Test
    public void everyOperationalAlarmNotifiesTheErrorTopic() {
        Map<String, String> namespaces = Map.of("dead_letters", "local.metrics_namespace",
                "delivery_failure_rate", "local.metrics_namespace", "function_errors", "oci_faas",
                "connector_lag", "oci_streaming", "redrive_lag", "local.metrics_namespace");
        namespaces.forEach((name, namespace) -> {
            TfBlock a = alarm(name);
            assertEquals(name, "HCLArray(oci_ons_notification_topic.errors.id)", attr(a, "destinations"));
            assertEquals(name, "true", literal(a, "is_enabled"));
            String ns = a.attribute("namespace").orElseThrow().literal().orElse(attr(a, "namespace"));
            assertEquals(name, namespace, ns);
            assertFalse(name + " says what it means", a.attribute("body").orElseThrow().strings().get(0).isBlank());
        });
        assertEquals(MetricsSettings.NAMESPACE, tf.local("metrics_namespace").literal().orElseThrow());
    }

    @Test
    public void functionErrorsAreOciFunctionsErrorResponsesOfTheApplication() {
        String query = query("function_errors");
        assertEquals("FunctionResponseCount[5m]{applicationId = \"${oci_functions_application.datasync.id}\","
                + " responseType = \"Error\"}.sum() > 0", query);
        assertEquals("true", literal(alarm("function_errors"), "is_notifications_per_metric_dimension_enabled"));
    }

    @Test
    public void connectorLagComparesWhatDataSyncStreamGotWithWhatWasRead() {
        String query = query("connector_lag");
        assertTrue(query, query.startsWith("PutMessagesThroughput.Count[15m]{resourceId = \"${oci_streaming_stream.data.id}\"}"
                + ".sum() - GetMessagesThroughput.Count[15m]{resourceId = \"${oci_streaming_stream.data.id}\"}.sum() > "));
        assertEquals("local.stream_compartment_ocid", attr(alarm("connector_lag"), "metric_compartment_id"));
    }

    @Test
    public void deadLettersFireOnTheFirstOne() {
        String q = runnable("dead_letters", "");
        assertTrue("nothing dead-lettered: quiet", summarize(q).isEmpty());
        post(PipelineMetrics.DEAD_LETTERED, Map.of("source", "orders", "reason", "maxAge"), 1);
        assertFalse("one dead letter: fires", summarize(q).isEmpty());
    }

    @Test
    public void theFailureRateFiresAboveItsThreshold() {
        String suffix = "x" + UUID.randomUUID().toString().substring(0, 6);
        String q = runnable("delivery_failure_rate", suffix);
        Map<String, String> target = Map.of("source", "orders", "targetHost", "api.example.com");
        post(PipelineMetrics.DELIVERED + suffix, target, 9);
        post(PipelineMetrics.FAILED + suffix, Map.of("source", "orders", "targetHost", "api.example.com",
                "kind", "503"), 1);
        assertTrue("10 % failed (threshold " + defaultOf("delivery_failure_rate_alarm_percent") + " %): quiet",
                summarize(q).isEmpty());
        post(PipelineMetrics.FAILED + suffix, Map.of("source", "orders", "targetHost", "api.example.com",
                "kind", "timeout"), 5);
        assertFalse("6 of 15 failed: fires", summarize(q).isEmpty());
    }

    @Test
    public void redriveLagFiresOnAStreamAboveItsThreshold() {
        String suffix = "x" + UUID.randomUUID().toString().substring(0, 6);
        String q = runnable("redrive_lag", suffix);
        int threshold = Integer.parseInt(defaultOf("redrive_lag_alarm_messages"));
        post(RedrivePending.METRIC + suffix, Map.of("stream", "ServiceUnavailableErrorStream"), threshold);
        assertTrue("at the threshold: quiet", summarize(q).isEmpty());
        post(RedrivePending.METRIC + suffix, Map.of("stream", "InternalServerErrorStream"), threshold + 1);
        List<MetricData> firing = summarize(q);
        assertEquals("one notification per stream above it", 1, firing.size());
        assertEquals(Map.of("stream", "InternalServerErrorStream"), firing.get(0).getDimensions());
        assertEquals("PT30M", literal(alarm("redrive_lag"), "pending_duration"));
    }

    // ------------------------------------------------------------------------------------------------

    private static String query(String alarm) {
        return alarm(alarm).attribute("query").orElseThrow().strings().get(0).replace("\\\"", "\"");
    }

    /**
     * The alarm's query as Monitoring receives it: the variables at their defaults, the locals' names, and
     * {@code suffix} on every metric name (so each test has its own metrics on the one emulator).
     */
    private static String runnable(String alarm, String suffix) {
        String q = query(alarm).replace("${local.redrive_pending_metric}", RedrivePending.METRIC);
        for (String variable : List.of("delivery_failure_rate_alarm_percent", "redrive_lag_alarm_messages")) {
            q = q.replace("${var." + variable + "}", defaultOf(variable));
        }
        assertFalse(q, q.contains("${"));
        for (String metric : List.of(PipelineMetrics.DEAD_LETTERED, PipelineMetrics.FAILED, PipelineMetrics.DELIVERED,
                RedrivePending.METRIC)) {
            q = q.replace(metric + "[", metric + suffix + "[");
        }
        return q;
    }

    private static String defaultOf(String variable) {
        return tf.variables().get(variable).attribute("default").orElseThrow().text();
    }

    private static void post(String name, Map<String, String> dimensions, double value) {
        monitoring.postMetricData(PostMetricDataRequest.builder().postMetricDataDetails(PostMetricDataDetails.builder()
                .metricData(List.of(MetricDataDetails.builder().namespace(MetricsSettings.NAMESPACE)
                        .compartmentId(compartment).name(name).dimensions(dimensions)
                        .datapoints(List.of(Datapoint.builder().timestamp(Date.from(Instant.now())).value(value)
                                .build()))
                        .build()))
                .build()).build());
    }

    private static List<MetricData> summarize(String query) {
        Instant now = Instant.now();
        return monitoring.summarizeMetricsData(SummarizeMetricsDataRequest.builder().compartmentId(compartment)
                .summarizeMetricsDataDetails(SummarizeMetricsDataDetails.builder().namespace(MetricsSettings.NAMESPACE)
                        // an alarm's resolution is 1m: windows of the query's interval, one starting each minute
                        .query(query).resolution("1m").startTime(Date.from(now.minus(Duration.ofMinutes(10))))
                        .endTime(Date.from(now.plusSeconds(60))).build())
                .build()).getItems();
    }
}
