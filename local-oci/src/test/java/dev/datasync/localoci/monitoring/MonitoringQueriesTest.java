package dev.datasync.localoci.monitoring;

import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.monitoring.model.AggregatedDatapoint;
import com.oracle.bmc.monitoring.model.Datapoint;
import com.oracle.bmc.monitoring.model.MetricData;
import com.oracle.bmc.monitoring.model.MetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataDetails;
import com.oracle.bmc.monitoring.model.SummarizeMetricsDataDetails;
import com.oracle.bmc.monitoring.requests.PostMetricDataRequest;
import com.oracle.bmc.monitoring.requests.SummarizeMetricsDataRequest;
import dev.datasync.localoci.EmulatorRule;
import dev.datasync.localoci.LocalOciTestBase;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.datasync.localoci.OciAssertions.expect;
import static org.junit.Assert.assertEquals;

/**
 * The MQL the console and the alarms use, through the real MonitoringClient: grouping() and groupBy(), the
 * statistics over datapoints with a {@code count}, percentile(p), dimension filters (=, !=, =~), arithmetic between
 * queries, a predicate, startTime/endTime and a resolution finer than the interval.
 */
public class MonitoringQueriesTest extends LocalOciTestBase {

    private static final String NAMESPACE = "datasync";

    private MonitoringClient monitoring;
    private String compartment;
    private String suffix;
    /**
     * A 5-minute boundary ten minutes or more ago: every point below falls in [minute, minute + 2m), so the [5m]
     * queries see them in one interval whatever the time.
     */
    private Instant minute;

    @Before
    public void client() {
        monitoring = MonitoringClient.builder().endpoint(EMULATOR.oci().baseUrl())
                .configuration(EmulatorRule.noRetries()).build(EmulatorRule.provider(EMULATOR.oci()));
        compartment = EMULATOR.oci().resources().compartments().get("DataSyncCompartment");
        suffix = UUID.randomUUID().toString().substring(0, 8);
        minute = Instant.ofEpochSecond(clock.instant().getEpochSecond() / 300 * 300).minus(Duration.ofMinutes(10));
        post(metric("delivered", Map.of("source", "orders", "targetHost", "a.example"), point(0, 3, 1), point(61, 1, 1)),
                metric("delivered", Map.of("source", "orders", "targetHost", "b.example"), point(5, 2, 1)),
                metric("delivered", Map.of("source", "billing", "targetHost", "a.example"), point(10, 4, 1)),
                metric("failed", Map.of("source", "orders", "targetHost", "a.example", "kind", "503"), point(1, 1, 1)),
                metric("failed", Map.of("source", "orders", "targetHost", "a.example", "kind", "timeout"),
                        point(2, 2, 1), point(62, 1, 1)),
                // latencies as the functions post them: one datapoint per distinct value with its count
                metric("latency", Map.of("source", "orders", "targetHost", "a.example"),
                        point(3, 10, 90), point(3, 200, 9), point(3, 900, 1)));
    }

    @After
    public void close() {
        monitoring.close();
    }

    @Test
    public void groupingAddsEveryStreamIntoOneResultWithoutDimensions() {
        List<MetricData> data = summarize("delivered" + suffix + "[1m].grouping().sum()", null);
        assertEquals(1, data.size());
        assertEquals(Map.of(), data.get(0).getDimensions());
        assertEquals(List.of(9.0, 1.0), values(data.get(0)));
        assertEquals(List.of(Date.from(minute), Date.from(minute.plusSeconds(60))), data.get(0)
                .getAggregatedDatapoints().stream().map(AggregatedDatapoint::getTimestamp).toList());
        assertEquals("the statistic may come first", List.of(9.0, 1.0),
                values(summarize("delivered" + suffix + "[1m].sum().grouping()", null).get(0)));
    }

    @Test
    public void groupByGivesOneResultPerValue() {
        Map<Map<String, String>, List<Double>> byKind = byDimensions(
                summarize("failed" + suffix + "[1m].groupBy(kind).sum()", null));
        assertEquals(Map.of(Map.of("kind", "503"), List.of(1.0), Map.of("kind", "timeout"), List.of(2.0, 1.0)),
                byKind);
        assertEquals(Map.of(Map.of("source", "orders"), List.of(6.0), Map.of("source", "billing"), List.of(4.0)),
                byDimensions(summarize("delivered" + suffix + "[5m].groupBy(source).sum()", null)));
    }

    @Test
    public void countsWeighTheStatistics() {
        String latency = "latency" + suffix + "[1m]";
        assertEquals(List.of(100.0), values(summarize(latency + ".count()", null).get(0)));
        assertEquals(List.of(10.0 * 90 + 200 * 9 + 900), values(summarize(latency + ".sum()", null).get(0)));
        assertEquals(List.of((10.0 * 90 + 200 * 9 + 900) / 100), values(summarize(latency + ".mean()", null).get(0)));
        assertEquals(List.of(10.0), values(summarize(latency + ".grouping().percentile(0.5)", null).get(0)));
        assertEquals(List.of(200.0), values(summarize(latency + ".grouping().percentile(0.99)", null).get(0)));
        assertEquals(List.of(900.0), values(summarize(latency + ".percentile(0.999)", null).get(0)));
        assertEquals(List.of(900.0), values(summarize(latency + ".max()", null).get(0)));
        assertEquals(List.of(10.0), values(summarize(latency + ".min()", null).get(0)));
    }

    @Test
    public void dimensionFiltersSelectStreams() {
        String d = "delivered" + suffix + "[5m]";
        assertEquals(List.of(6.0), values(summarize(d + "{source = \"orders\"}.grouping().sum()", null).get(0)));
        assertEquals(List.of(4.0), values(summarize(d + "{source != \"orders\"}.grouping().sum()", null).get(0)));
        assertEquals(List.of(8.0), values(summarize(d + "{targetHost =~ \"a.*\"}.grouping().sum()", null).get(0)));
        assertEquals(List.of(10.0), values(summarize(
                d + "{targetHost =~ \"a.example|b.example\", source =~ \"*\"}.grouping().sum()", null).get(0)));
        assertEquals(List.of(), summarize(d + "{targetHost =~ \"c*\"}.grouping().sum()", null));
    }

    @Test
    public void arithmeticAndAPredicateMakeAFailureRate() {
        String rate = "failed" + suffix + "[1m].grouping().sum() / (failed" + suffix + "[1m].grouping().sum() + delivered"
                + suffix + "[1m].grouping().sum()) * 100";
        assertEquals(List.of(25.0, 50.0), values(summarize(rate, null).get(0)));
        assertEquals("only the minutes the predicate holds for", List.of(50.0),
                values(summarize(rate + " > 30", null).get(0)));
        assertEquals(List.of(), summarize(rate + " > 60", null));
    }

    @Test
    public void aResolutionFinerThanTheIntervalSlidesTheWindow() {
        List<MetricData> data = summarize("delivered" + suffix + "[2m].grouping().sum()", "1m");
        // windows starting each minute, two minutes wide: [m-1, m+1) holds the first minute, [m, m+2) both
        Map<Instant, Double> byStart = data.get(0).getAggregatedDatapoints().stream()
                .collect(Collectors.toMap(p -> p.getTimestamp().toInstant(), AggregatedDatapoint::getValue));
        assertEquals(Map.of(minute.minusSeconds(60), 9.0, minute, 10.0, minute.plusSeconds(60), 1.0), byStart);
    }

    @Test
    public void startAndEndTimeBoundTheDatapoints() {
        List<MetricData> data = monitoring.summarizeMetricsData(SummarizeMetricsDataRequest.builder()
                .compartmentId(compartment)
                .summarizeMetricsDataDetails(SummarizeMetricsDataDetails.builder().namespace(NAMESPACE)
                        .query("delivered" + suffix + "[1m].grouping().sum()")
                        .startTime(Date.from(minute.plusSeconds(60))).endTime(Date.from(minute.plusSeconds(120)))
                        .build())
                .build()).getItems();
        assertEquals(List.of(1.0), values(data.get(0)));
    }

    @Test
    public void aPercentileOutsideZeroToOneIsRefused() {
        expect(400, "InvalidParameter", () -> summarize("latency" + suffix + "[1m].percentile(0)", null));
        expect(400, "InvalidParameter", () -> summarize("latency" + suffix + "[1m].groupBy().sum()", null));
    }

    // ------------------------------------------------------------------------------------------------

    private MetricDataDetails metric(String name, Map<String, String> dimensions, Datapoint... points) {
        return MetricDataDetails.builder().namespace(NAMESPACE).compartmentId(compartment).name(name + suffix)
                .dimensions(dimensions).datapoints(List.of(points)).build();
    }

    private Datapoint point(int secondsAfterMinute, double value, int count) {
        return Datapoint.builder().timestamp(Date.from(minute.plusSeconds(secondsAfterMinute))).value(value)
                .count(count).build();
    }

    private void post(MetricDataDetails... data) {
        assertEquals(0, (int) monitoring.postMetricData(PostMetricDataRequest.builder()
                .postMetricDataDetails(PostMetricDataDetails.builder().metricData(List.of(data)).build())
                .build()).getPostMetricDataResponseDetails().getFailedMetricsCount());
    }

    private List<MetricData> summarize(String query, String resolution) {
        return monitoring.summarizeMetricsData(SummarizeMetricsDataRequest.builder()
                .compartmentId(compartment)
                .summarizeMetricsDataDetails(SummarizeMetricsDataDetails.builder().namespace(NAMESPACE).query(query)
                        .resolution(resolution).build())
                .build()).getItems();
    }

    private static List<Double> values(MetricData d) {
        List<Double> out = new ArrayList<>();
        d.getAggregatedDatapoints().forEach(p -> out.add(p.getValue()));
        return out;
    }

    private static Map<Map<String, String>, List<Double>> byDimensions(List<MetricData> data) {
        return data.stream().collect(Collectors.toMap(MetricData::getDimensions, MonitoringQueriesTest::values));
    }
}
