package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.monitoring.model.MetricData;
import com.oracle.bmc.monitoring.model.SummarizeMetricsDataDetails;
import com.oracle.bmc.monitoring.requests.SummarizeMetricsDataRequest;
import dev.datasync.local.RunningStack;
import dev.datasync.local.demo.DemoReport;
import dev.datasync.local.demo.DemoScenario;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.json.Json;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The functions' metrics land in local-oci's Monitoring on every path, read back with the real MonitoringClient
 * (SummarizeMetricsData) as an OCI dashboard would: the demo's sync requests (populate: {@code sync.accepted}), their
 * delivery (ReadDataStream: delivered, failed by kind, routed by stream, latency), the replay of the recoverable
 * error streams (Retry: delivered), its file (bulk ingest: accepted) and a redrive pass (Retry: redrive.pending).
 * The console's data route serves the same figures, and only with the admin token.
 */
public class MetricsEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RunningStack running;
    private static PipelineStack stack;
    private static DemoReport report;
    private static String compartment;

    @BeforeClass
    public static void runDemo() throws Exception {
        running = RunningStack.start(Map.of(), DemoScenario::stackSettings);
        stack = running.stack();
        compartment = stack.oci().resources().compartments().get("DataSyncCompartment");
        report = new DemoScenario(stack, running.target(), new PrintStream(new ByteArrayOutputStream(), true))
                .run(DemoScenario.unusedPort());
        assertTrue("the demo ran as it should", report.asExpected());
        // a redrive pass, as the redrive.pending alarm triggers it on OCI
        HttpResponse<String> redrive = post("/stream/retry", "{\"mode\":\"redrive\"}");
        assertEquals(redrive.body(), 200, redrive.statusCode());
    }

    @AfterClass
    public static void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    public void populateAndBulkIngestCountWhatTheyAccepted() {
        long accepted = report.accepted() + report.bulk().written();
        assertEquals("every message written to DataSyncStream, by /stream/sync and by the file",
                (double) accepted, sum("sync.accepted[1h]{source = \"local\"}.grouping().sum()"), 0.0);
    }

    @Test
    public void readDataStreamAndTheReplayCountDeliveriesFailuresAndRoutes() {
        assertEquals("the demo's deliveries: first tries, the replay's, the file's",
                (double) report.delivered() + report.bulk().delivered(),
                sum("sync.delivered[1h].grouping().sum()"), 0.0);
        Map<String, Double> failed = byDimension("sync.failed[1h].groupBy(kind).sum()", "kind");
        assertTrue(failed.toString(), failed.getOrDefault("503", 0.0) >= 1);
        assertTrue(failed.toString(), failed.getOrDefault("500", 0.0) >= 1);
        assertTrue(failed.toString(), failed.getOrDefault("404", 0.0) >= 1);
        assertTrue(failed.toString(), failed.getOrDefault("400", 0.0) >= 1);
        assertTrue("the refused port: no answer", failed.getOrDefault("network", 0.0)
                + failed.getOrDefault("circuitOpen", 0.0) >= 1);
        Map<String, Double> routed = byDimension("sync.routed[1h].groupBy(stream).sum()", "stream");
        assertEquals(routed.toString(), 2.0, routed.get("ServiceUnavailableErrorStream"), 0.0);
        assertEquals(routed.toString(), 1.0, routed.get("UnrecoverableErrorStream"), 0.0);
        assertEquals(routed.toString(), 1.0, routed.get("InternalServerErrorStream"), 0.0);
        assertEquals(routed.toString(), 1.0, routed.get("DefaultErrorStream"), 0.0);
        double p99 = sum("delivery.latency[1h].grouping().percentile(0.99)");
        double count = sum("delivery.latency[1h].grouping().count()");
        assertEquals("one latency per delivered call", sum("sync.delivered[1h].grouping().sum()"), count, 0.0);
        assertTrue("a latency in milliseconds: " + p99, p99 >= 0 && p99 < 60_000);
    }

    @Test
    public void theRedrivePassPublishesWhatWaits() {
        Map<String, Double> pending = byDimension("redrive.pending[1h].groupBy(stream).min()", "stream");
        assertEquals("the replay delivered the recoverable ones: nothing waits in the redriven streams",
                0.0, pending.get("ServiceUnavailableErrorStream"), 0.0);
    }

    @Test
    public void theConsoleServesTheSameFiguresOnlyWithTheAdminToken() throws Exception {
        String query = "sync.delivered[1m].grouping().sum()";
        String path = "/console/api/metrics?minutes=60&query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        HttpResponse<String> refused = get(path, null);
        assertEquals(401, refused.statusCode());
        assertEquals("Unauthorized", Json.mapper().readTree(refused.body()).path("code").asText());
        assertEquals(401, get(path, "not-the-token").statusCode());
        for (String other : List.of("/console/api/streams", "/console/api/stream?name=DefaultErrorStream",
                "/console/api/sources")) {
            assertEquals(other, 401, get(other, null).statusCode());
        }

        HttpResponse<String> ok = get(path, stack.adminToken());
        assertEquals(ok.body(), 200, ok.statusCode());
        double charted = 0;
        for (JsonNode series : Json.mapper().readTree(ok.body())) {
            for (JsonNode point : series.path("points")) {
                charted += point.get(1).asDouble();
            }
        }
        assertEquals(sum("sync.delivered[1h].grouping().sum()"), charted, 0.0);
        HttpResponse<String> bad = get("/console/api/metrics?query=" + URLEncoder.encode("sync.delivered[1m]",
                StandardCharsets.UTF_8), stack.adminToken());
        assertEquals(400, bad.statusCode());
        assertEquals("query", Json.mapper().readTree(bad.body()).path("field").asText());

        HttpResponse<String> page = get("/console/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertTrue("the page holds no figures", !page.body().contains("ServiceUnavailableErrorStream"));
        assertEquals(200, get("/console/lib/uplot.js", null).statusCode());
    }

    // ------------------------------------------------------------------------------------------------

    private static List<MetricData> summarize(String query) {
        Instant now = Instant.now();
        return stack.clients().monitoring().summarizeMetricsData(SummarizeMetricsDataRequest.builder()
                .compartmentId(compartment)
                .summarizeMetricsDataDetails(SummarizeMetricsDataDetails.builder().namespace("datasync").query(query)
                        .startTime(Date.from(now.minus(Duration.ofHours(2)))).endTime(Date.from(now.plusSeconds(60)))
                        .build())
                .build()).getItems();
    }

    /** The query's datapoints added up over every result (queries over [1h] have one or two each). */
    private static double sum(String query) {
        return summarize(query).stream().flatMap(d -> d.getAggregatedDatapoints().stream())
                .mapToDouble(p -> p.getValue()).sum();
    }

    private static Map<String, Double> byDimension(String query, String dimension) {
        Map<String, Double> out = new HashMap<>();
        for (MetricData d : summarize(query)) {
            d.getAggregatedDatapoints().forEach(p ->
                    out.merge(d.getDimensions().get(dimension), p.getValue(), Double::sum));
        }
        return out;
    }

    private static HttpResponse<String> get(String path, String adminToken) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path)).GET();
        if (adminToken != null) {
            r.header(SourceHeaders.ADMIN_TOKEN, adminToken);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
                .header(SourceHeaders.ADMIN_TOKEN, stack.adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
