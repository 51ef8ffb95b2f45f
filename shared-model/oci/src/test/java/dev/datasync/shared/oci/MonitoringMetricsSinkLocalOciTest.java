package dev.datasync.shared.oci;

import com.oracle.bmc.monitoring.Monitoring;
import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.monitoring.model.AggregatedDatapoint;
import com.oracle.bmc.monitoring.model.MetricData;
import com.oracle.bmc.monitoring.model.SummarizeMetricsDataDetails;
import com.oracle.bmc.monitoring.requests.SummarizeMetricsDataRequest;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.MetricsSettings;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.Metric;
import dev.datasync.shared.metrics.MetricsSink;
import dev.datasync.shared.testing.ForwardingProxy;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

/**
 * The functions' metrics through the real MonitoringClient against local-oci's Monitoring: what is published can be
 * summarized back, more than 50 streams go in several calls, and a refused metric, an error answer or no connection
 * is one log line and never an exception.
 */
public class MonitoringMetricsSinkLocalOciTest {

    @ClassRule
    public static final LocalOciClients OCI = new LocalOciClients();

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final JsonLog log = JsonLog.to(lines::add, Clock.systemUTC());
    /** A metric name of this test alone: tests share the emulator. */
    private final String name = "redrive.pending" + UUID.randomUUID().toString().substring(0, 8);

    @After
    public void clearFaults() {
        OCI.oci().faults().clear();
    }

    private MonitoringMetricsSink sink(Monitoring client) {
        return new MonitoringMetricsSink(() -> client, compartment(), log);
    }

    private static String compartment() {
        return OCI.config().metrics().compartmentOcid().orElseThrow();
    }

    private Metric metric(String stream, double value) {
        return new Metric(name, Map.of("stream", stream), value, Instant.now());
    }

    @Test
    public void publishedMetricsAreInMonitoringUnderTheDatasyncNamespace() {
        sink(OCI.clients().monitoring()).publish(List.of(metric("ServiceUnavailableErrorStream", 3),
                metric("DefaultErrorStream", 0), metric("ServiceUnavailableErrorStream", 5)));

        assertEquals(List.of(), lines);
        Map<String, List<Double>> max = summarize(name + "[1h].max()");
        assertEquals(Map.of("ServiceUnavailableErrorStream", List.of(5.0), "DefaultErrorStream", List.of(0.0)), max);
        assertEquals("the two datapoints of one stream are one stream with two points",
                Map.of("ServiceUnavailableErrorStream", List.of(2.0), "DefaultErrorStream", List.of(1.0)),
                summarize(name + "[1h].count()"));
    }

    @Test
    public void moreThanFiftyStreamsGoInSeveralCallsOfAtMostFifty() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        Monitoring counted = ForwardingProxy.of(Monitoring.class, OCI.clients().monitoring(), (method, args) -> {
            if (method.equals("postMetricData")) {
                calls.incrementAndGet();
                sizes.add(((com.oracle.bmc.monitoring.requests.PostMetricDataRequest) args[0])
                        .getPostMetricDataDetails().getMetricData().size());
            }
        });
        List<Metric> metrics = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            metrics.add(metric("Stream" + i, i));
        }
        sink(counted).publish(metrics);

        assertEquals(3, calls.get());
        assertEquals(List.of(50, 50, 20), sizes);
        assertEquals(List.of(), lines);
        assertEquals(120, summarize(name + "[1h].max()").size());
    }

    @Test
    public void aRefusedMetricIsLoggedOnceAndTheOthersArePublished() {
        Metric refused = new Metric("1" + name, Map.of("stream", "DefaultErrorStream"), 1, Instant.now());
        sink(OCI.clients().monitoring()).publish(List.of(refused, metric("DefaultErrorStream", 4)));

        assertEquals(Map.of("DefaultErrorStream", List.of(4.0)), summarize(name + "[1h].max()"));
        assertEquals(lines.toString(), 1, lines.size());
        String line = lines.get(0);
        assertTrue(line, line.contains("\"event\":\"metrics.publish_failed\"") && line.contains("\"refusedStreams\":1")
                && line.contains("\"unsentStreams\":0") && line.contains("\"field\":\"1" + name + "\""));
    }

    @Test
    public void anErrorAnswerIsLoggedOnceAndNeverThrown() {
        OCI.oci().faults().set("PostMetricData", FaultRule.failing(1.0, 503));
        List<Metric> metrics = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            metrics.add(metric("Stream" + i, i));
        }
        sink(OCI.clients().monitoring()).publish(metrics);

        assertEquals(lines.toString(), 1, lines.size());
        String line = lines.get(0);
        assertTrue(line, line.contains("\"status\":503") && line.contains("\"code\":\"ServiceUnavailable\"")
                && line.contains("\"unsentStreams\":60") && line.contains("\"level\":\"WARN\""));
    }

    @Test
    public void noConnectionIsLoggedOnceAndNeverThrown() {
        Map<String, String> config = new HashMap<>(TestConfigs.forLocalOci(OCI.oci()));
        config.put("monitoring_endpoint", "http://127.0.0.1:1");
        try (OciClients unreachable = new OciClients(DataSyncConfig.from(config).oci())) {
            sink(unreachable.monitoring()).publish(List.of(metric("DefaultErrorStream", 1)));
        }
        assertEquals(lines.toString(), 1, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains("\"event\":\"metrics.publish_failed\"")
                && lines.get(0).contains("\"unsentStreams\":1"));
    }

    @Test
    public void withoutACompartmentNothingIsPublished() {
        assertSame(MetricsSink.NONE, MonitoringMetricsSink.of(new MetricsSettings(Optional.empty()),
                () -> { throw new AssertionError("no client is built"); }, log));
        assertTrue(MonitoringMetricsSink.of(OCI.config().metrics(), OCI.clients()::monitoring, log)
                instanceof MonitoringMetricsSink);
    }

    @Test
    public void withoutAMonitoringEndpointTheClientPostsToTheIngestionHostOfTheRegion() {
        Map<String, String> config = new HashMap<>(TestConfigs.forLocalOci(OCI.oci()));
        config.remove("monitoring_endpoint");
        config.put("oci_region", "eu-frankfurt-1");
        try (OciClients clients = new OciClients(DataSyncConfig.from(config).oci())) {
            assertEquals("https://telemetry-ingestion.eu-frankfurt-1.oraclecloud.com",
                    ((MonitoringClient) clients.monitoring()).getEndpoint());
        }
    }

    /** Stream dimension → aggregated values, read back (local-oci serves queries on the ingestion host too). */
    private Map<String, List<Double>> summarize(String query) {
        List<MetricData> data = OCI.clients().monitoring().summarizeMetricsData(SummarizeMetricsDataRequest.builder()
                .compartmentId(compartment())
                .summarizeMetricsDataDetails(SummarizeMetricsDataDetails.builder()
                        .namespace(MetricsSettings.NAMESPACE).query(query).build())
                .build()).getItems();
        return data.stream().collect(Collectors.toMap(d -> d.getDimensions().get("stream"),
                d -> d.getAggregatedDatapoints().stream().map(AggregatedDatapoint::getValue).collect(Collectors.toList())));
    }
}
