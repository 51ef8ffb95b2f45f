package dev.datasync.localoci.monitoring;

import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.monitoring.model.AggregatedDatapoint;
import com.oracle.bmc.monitoring.model.Datapoint;
import com.oracle.bmc.monitoring.model.MetricData;
import com.oracle.bmc.monitoring.model.MetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataResponseDetails;
import com.oracle.bmc.monitoring.model.SummarizeMetricsDataDetails;
import com.oracle.bmc.monitoring.requests.PostMetricDataRequest;
import com.oracle.bmc.monitoring.requests.SummarizeMetricsDataRequest;
import dev.datasync.localoci.EmulatorRule;
import dev.datasync.localoci.LocalOciTestBase;
import dev.datasync.localoci.fault.FaultRule;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.datasync.localoci.OciAssertions.expect;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Monitoring through the real MonitoringClient: PostMetricData's rules (names, dimensions, timestamps, 50 streams,
 * NON_ATOMIC / ATOMIC) and SummarizeMetricsData's simple queries (MonitoringRestartTest: datapoints survive a
 * restart). Each test posts
 * under its own metric name, so tests sharing the emulator do not see each other's datapoints.
 */
public class MonitoringServiceTest extends LocalOciTestBase {

    private static final String NAMESPACE = "datasync";

    private MonitoringClient monitoring;
    private String compartment;
    private String metric;

    @Before
    public void client() {
        monitoring = MonitoringClient.builder().endpoint(EMULATOR.oci().baseUrl())
                .configuration(EmulatorRule.noRetries()).build(EmulatorRule.provider(EMULATOR.oci()));
        compartment = EMULATOR.oci().resources().compartments().get("DataSyncCompartment");
        metric = "redrive.pending" + UUID.randomUUID().toString().substring(0, 8);
    }

    @After
    public void close() {
        monitoring.close();
    }

    @Test
    public void postedDatapointsAreSummarizedPerStreamAndInterval() {
        // start on a 5-minute boundary, so the [5m] query below sees all three points in one interval whatever the hour
        long fiveMinutes = Duration.ofMinutes(5).getSeconds();
        Instant minute = Instant.ofEpochSecond(clock.instant().getEpochSecond() / fiveMinutes * fiveMinutes)
                .minus(Duration.ofMinutes(10));
        PostMetricDataResponseDetails answer = post(PostMetricDataDetails.BatchAtomicity.NonAtomic,
                metric("ServiceUnavailableErrorStream", point(minute.plusSeconds(1), 3), point(minute.plusSeconds(40), 5)),
                metric("ServiceUnavailableErrorStream", point(minute.plusSeconds(70), 2)),
                metric("DefaultErrorStream", point(minute.plusSeconds(2), 7)));
        assertEquals(0, (int) answer.getFailedMetricsCount());
        assertTrue(answer.getFailedMetrics().isEmpty());

        Map<String, List<Double>> max = summarize(metric + "[1m].max()");
        assertEquals(Map.of("ServiceUnavailableErrorStream", List.of(5.0, 2.0), "DefaultErrorStream", List.of(7.0)), max);
        assertEquals(Map.of("ServiceUnavailableErrorStream", List.of(8.0, 2.0), "DefaultErrorStream", List.of(7.0)),
                summarize(metric + "[1m].sum()"));
        assertEquals(Map.of("ServiceUnavailableErrorStream", List.of(2.0, 1.0), "DefaultErrorStream", List.of(1.0)),
                summarize(metric + "[1m].count()"));
        assertEquals(Map.of("ServiceUnavailableErrorStream", List.of(10.0 / 3)),
                summarize(metric + "[5m]{stream = \"ServiceUnavailableErrorStream\"}.mean()"));
        assertEquals(Map.of("DefaultErrorStream", List.of(7.0)),
                summarize(metric + "[1h]{stream = \"DefaultErrorStream\"}.max()"));
        assertEquals(Map.of(), summarize(metric + "[1m]{stream = \"NoSuchStream\"}.max()"));

        // the interval's start stamps its value
        List<MetricData> data = summarizeRaw(metric + "[1m]{stream = \"DefaultErrorStream\"}.max()");
        AggregatedDatapoint only = data.get(0).getAggregatedDatapoints().get(0);
        assertEquals(Date.from(minute), only.getTimestamp());
        assertEquals(NAMESPACE, data.get(0).getNamespace());
        assertEquals(Map.of("stream", "DefaultErrorStream"), data.get(0).getDimensions());
    }

    @Test
    public void nonAtomicStoresTheValidObjectsAndNamesEveryRefusedOne() {
        Instant now = clock.instant();
        Map<String, String> twentyOne = new HashMap<>();
        for (int i = 0; i < 21; i++) {
            twentyOne.put("d" + i, "v");
        }
        List<MetricDataDetails> bad = List.of(
                base().namespace("oci_datasync").build(),
                base().namespace("1datasync").build(),
                base().name("1bad").build(),
                base().name("bad name").build(),
                base().dimensions(Map.of()).build(),
                base().dimensions(twentyOne).build(),
                base().dimensions(Map.of("stream", "")).build(),
                base().dimensions(Map.of("bad key", "v")).build(),
                base().compartmentId("ocid1.compartment.oc1..unknown").build(),
                base().datapoints(List.of(point(now.minus(Duration.ofHours(2)).minusSeconds(1), 1))).build(),
                base().datapoints(List.of(point(now.plus(Duration.ofMinutes(10)).plusSeconds(1), 1))).build(),
                base().datapoints(List.of(Datapoint.builder().timestamp(Date.from(now)).value(1.0).count(0).build())).build(),
                base().datapoints(List.of()).build());
        List<MetricDataDetails> all = new ArrayList<>(bad);
        all.add(metric("DefaultErrorStream", point(now.minus(Duration.ofMinutes(119)), 4)));
        PostMetricDataResponseDetails answer = monitoring.postMetricData(PostMetricDataRequest.builder()
                .postMetricDataDetails(PostMetricDataDetails.builder().metricData(all).build()).build())
                .getPostMetricDataResponseDetails();

        assertEquals(bad.size(), (int) answer.getFailedMetricsCount());
        assertEquals(bad.size(), answer.getFailedMetrics().size());
        answer.getFailedMetrics().forEach(f -> assertTrue(f.getMessage(), !f.getMessage().isEmpty()));
        assertEquals("the refused objects come back as sent", bad.get(2).getName(),
                answer.getFailedMetrics().get(2).getMetricData().getName());
        assertEquals(Map.of("DefaultErrorStream", List.of(4.0)), summarize(metric + "[1h].max()"));
    }

    @Test
    public void aCallOfOnlyRefusedObjectsOrAnAtomicCallWithOneIsRefusedWhole() {
        Instant now = clock.instant();
        expect(400, "InvalidParameter", () -> post(PostMetricDataDetails.BatchAtomicity.NonAtomic,
                base().name("1bad").build()));
        expect(400, "InvalidParameter", () -> post(PostMetricDataDetails.BatchAtomicity.Atomic,
                metric("DefaultErrorStream", point(now, 1)), base().dimensions(Map.of()).build()));
        assertEquals("nothing of the refused calls is stored", Map.of(), summarize(metric + "[1h].max()"));
    }

    @Test
    public void atMostFiftyStreamsPerCall() {
        Instant now = clock.instant();
        List<MetricDataDetails> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(metric("Stream" + i, point(now, i)));
        }
        // datapoints of one stream in several objects count once
        fifty.add(metric("Stream0", point(now.minusSeconds(1), 1)));
        assertEquals(0, (int) post(PostMetricDataDetails.BatchAtomicity.NonAtomic,
                fifty.toArray(MetricDataDetails[]::new)).getFailedMetricsCount());
        assertEquals(50, summarize(metric + "[1h].count()").size());

        List<MetricDataDetails> fiftyOne = new ArrayList<>(fifty);
        fiftyOne.add(base().name(metric + "x").build());
        expect(400, "InvalidParameter", () -> post(PostMetricDataDetails.BatchAtomicity.NonAtomic,
                fiftyOne.toArray(MetricDataDetails[]::new)));
        assertEquals("the refused call stored nothing", Map.of(), summarize(metric + "x[1h].count()"));
    }

    @Test
    public void queriesBeyondTheEmulatedFormAreRefused() {
        // the forms the emulator answers are MonitoringQueriesTest's; these it does not
        for (String query : List.of(metric + "[1m].percentile(1.5)", metric + "[1m].absent()",
                metric + "[1m].max() && " + metric + "[1m].min()", metric + "[61m].max()", metric + "[2d].max()",
                metric + ".max()", metric + "[1m]{stream ~ \"x*\"}.max()", metric + "[1m]",
                metric + "[1m].max() in (1, 2)")) {
            expect(400, "InvalidParameter", () -> summarizeRaw(query));
        }
    }

    @Test
    public void faultsApplyToPostMetricData() {
        EMULATOR.oci().faults().set("PostMetricData", FaultRule.failing(1.0, 503));
        expect(503, "ServiceUnavailable", () -> post(PostMetricDataDetails.BatchAtomicity.NonAtomic,
                metric("DefaultErrorStream", point(clock.instant(), 1))));
    }

    // ------------------------------------------------------------------------------------------------

    private MetricDataDetails.Builder base() {
        return MetricDataDetails.builder().namespace(NAMESPACE).compartmentId(compartment).name(metric)
                .dimensions(Map.of("stream", "DefaultErrorStream"))
                .datapoints(List.of(point(clock.instant(), 1)));
    }

    private MetricDataDetails metric(String stream, Datapoint... points) {
        return base().dimensions(Map.of("stream", stream)).datapoints(List.of(points)).build();
    }

    private static Datapoint point(Instant at, double value) {
        return Datapoint.builder().timestamp(Date.from(at)).value(value).build();
    }

    private PostMetricDataResponseDetails post(PostMetricDataDetails.BatchAtomicity atomicity, MetricDataDetails... data) {
        return monitoring.postMetricData(PostMetricDataRequest.builder()
                .postMetricDataDetails(PostMetricDataDetails.builder().metricData(List.of(data))
                        .batchAtomicity(atomicity).build())
                .build()).getPostMetricDataResponseDetails();
    }

    private List<MetricData> summarizeRaw(String query) {
        return monitoring.summarizeMetricsData(SummarizeMetricsDataRequest.builder()
                .compartmentId(compartment)
                .summarizeMetricsDataDetails(SummarizeMetricsDataDetails.builder()
                        .namespace(NAMESPACE).query(query).build())
                .build()).getItems();
    }

    /** Stream dimension → its aggregated values in time order. */
    private Map<String, List<Double>> summarize(String query) {
        return summarizeRaw(query).stream().collect(Collectors.toMap(d -> d.getDimensions().get("stream"),
                d -> d.getAggregatedDatapoints().stream().map(AggregatedDatapoint::getValue).collect(Collectors.toList())));
    }
}
