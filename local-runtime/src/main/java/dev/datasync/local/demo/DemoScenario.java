package dev.datasync.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.cli.IngestDriver;
import dev.datasync.local.cli.RetryDriver;
import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.identity.SourceTokenFile;
import dev.datasync.local.stack.ErrorStream;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.local.stack.StackSettings;
import dev.datasync.local.stack.Topology;
import dev.datasync.shared.contract.SourceHeaders;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The demo's flow, used by {@code ./datasync demo} and the end-to-end test: sync requests with every outcome
 * through the real gateway — with the default source's credential, and one without it that the gateway refuses —
 * where each one ended, heal the target, replay the recoverable error streams through {@code /stream/retry} until
 * {@code endOfStream}, a small JSON Lines file through bulk ingest (uploaded to the ingest bucket, whose event the
 * Events rule hands to bulk-ingest-fn), and the final tally.
 */
public final class DemoScenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BULK_PATH = "/orders/bulk/";

    private final PipelineStack stack;
    private final SampleTarget target;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StreamInspector inspector;
    private final String sourceToken;

    public DemoScenario(PipelineStack stack, SampleTarget target, PrintStream out) {
        this.stack = stack;
        this.target = target;
        this.out = out;
        this.inspector = new StreamInspector(stack.clients().streamAdmin(), stack.clients().stream());
        this.sourceToken = stack.sourceToken().orElseThrow(() -> new IllegalStateException(
                "the demo's stack has no default source credential"));
    }

    /**
     * The demo's own allow-list: its targets (the sample target and the refused port) are on 127.0.0.1, whatever
     * the user's {@code DATASYNC_TARGET_ALLOWLIST} says — the demo must be self-contained, and a list meant for the
     * user's real targets would refuse every scripted case.
     */
    public static final String TARGET_ALLOWLIST = "127.0.0.1";

    /**
     * The stack settings the demo runs with: {@code base} with the demo's allow-list instead of the user's, and
     * without the automatic redrive — the demo shows the replay by hand (step 4), and a redrive pass in between
     * would deliver its messages a second time.
     */
    public static StackSettings stackSettings(StackSettings base) {
        java.util.function.Function<String, String> userEnv = base.env();
        return base.withEnv(key -> key.equals("DATASYNC_TARGET_ALLOWLIST") ? TARGET_ALLOWLIST : userEnv.apply(key))
                .withRedrive(false);
    }

    /** The scripted requests; {@code refusedPort} is a loopback port nothing listens on (until healing). */
    private static List<DemoCase> cases(int refusedPort) {
        return List.of(
                // a valid request, but without the source credential: the gateway refuses it before any function
                new DemoCase("anonymous", "POST", "/orders/ok", DemoCase.REJECTED, false, false),
                new DemoCase("ok-post", "POST", "/orders/ok", null, false),
                new DemoCase("ok-put", "PUT", "/orders/ok/2", null, false),
                new DemoCase("503", "POST", "/orders/status/503", Topology.SERVICE_UNAVAILABLE_ERROR_STREAM, true),
                new DemoCase("500", "POST", "/orders/status/500", Topology.INTERNAL_SERVER_ERROR_STREAM, true),
                new DemoCase("404", "DELETE", "/orders/status/404", Topology.DEFAULT_ERROR_STREAM, true),
                new DemoCase("400", "POST", "/orders/status/400", Topology.UNRECOVERABLE_ERROR_STREAM, false),
                new DemoCase("refused", "POST", "http://127.0.0.1:" + refusedPort + "/orders",
                        Topology.SERVICE_UNAVAILABLE_ERROR_STREAM, true),
                new DemoCase("invalid", "POST", null, DemoCase.REJECTED, false));
    }

    /** A loopback port that refuses connections: bound once to pick a free number, then closed. */
    public static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public DemoReport run(int refusedPort) throws Exception {
        List<DemoCase> cases = cases(refusedPort);
        out.println("1. sending sync requests to " + stack.gatewayUrl() + "/stream/sync as source "
                + "local (X-DataSync-Source-Token from " + SourceTokenFile.of(stack.dataDir()) + "), one without it");
        Map<DemoCase, Accepted> sent = new LinkedHashMap<>();
        for (DemoCase c : cases) {
            HttpResponse<String> r = sync(c);
            JsonNode n = JSON.readTree(r.body());
            String syncId = r.statusCode() == 202 ? n.path("syncId").asText() : null;
            String summary = syncId != null
                    ? "syncId " + syncId + " → DataSyncStream p" + n.path("partition").asText() + " @"
                            + n.path("offset").asText()
                    : n.path("code").asText() + " " + n.path("field").asText("") + ": " + n.path("message").asText();
            out.printf("   %-10s %-6s %-24s %d %s%n", c.name(), c.operation(), shortTarget(c), r.statusCode(),
                    summary);
            sent.put(c, new Accepted(r.statusCode(), syncId));
        }

        out.println("2. where each one ended (connector → read-data-stream-fn → target or error stream)");
        MessageFates fates = new MessageFates(target, inspector, stack.errorStreams());
        Map<String, String> firstStream = fates.awaitRouted(sent.values().stream().map(Accepted::syncId)
                .filter(Objects::nonNull).toList());
        for (Map.Entry<DemoCase, Accepted> e : sent.entrySet()) {
            String syncId = e.getValue().syncId();
            if (syncId == null) {
                out.printf("   %-10s never written (rejected)%n", e.getKey().name());
            } else if (firstStream.containsKey(syncId)) {
                out.printf("   %-10s → %s%n", e.getKey().name(), firstStream.get(syncId));
            } else {
                out.printf("   %-10s delivered (Idempotency-Key %s)%n", e.getKey().name(), syncId);
            }
        }

        out.println("3. healing the target (every path answers 200, the refused port now listens)");
        target.heal();
        try (SampleTarget revived = target.alsoListenOn(refusedPort)) {
            out.println("4. replaying the recoverable error streams through /stream/retry");
            replayRecoverable();
        }

        List<CaseResult> results = new ArrayList<>();
        for (Map.Entry<DemoCase, Accepted> e : sent.entrySet()) {
            String syncId = e.getValue().syncId();
            results.add(new CaseResult(e.getKey(), e.getValue().status(), syncId,
                    syncId == null ? null : firstStream.get(syncId), syncId != null && fates.delivered(syncId)));
        }
        DemoReport.BulkResult bulk = ingestAFile();
        DemoReport report = new DemoReport(results, bulk);
        out.println("6. final tally");
        for (CaseResult c : results) {
            out.printf("   %-10s %s%n", c.demoCase().name(), c.fate());
        }
        out.printf("   %d requests: %d accepted, %d delivered, %d unrecoverable, %d rejected at /stream/sync — %s%n",
                results.size(), report.accepted(), report.delivered(),
                results.stream().filter(c -> c.syncId() != null && !c.delivered()).count(),
                results.stream().filter(c -> c.syncId() == null).count(),
                report.asExpected() ? "as expected" : "NOT as expected");
        out.printf("   1 file: %d lines written, %d delivered, %d refused%n", bulk.written(), bulk.delivered(),
                bulk.refused());
        return report;
    }

    /**
     * Step 5: a file of sync requests, one line with a credential in it, as {@code ./datasync ingest} sends it. Its
     * lines go to another listener of the sample target: the read function's circuit breaker for the first one is
     * still open after the scripted 5xx answers, and would route them as {@code circuitOpen}.
     */
    private DemoReport.BulkResult ingestAFile() throws Exception {
        try (SampleTarget listener = target.alsoListenOn(0)) {
            return ingestAFile(listener.baseUrl());
        }
    }

    private DemoReport.BulkResult ingestAFile(String targetUrl) throws Exception {
        String name = "demo-orders.jsonl";
        out.println("5. uploading " + name + " (" + DemoReport.BulkResult.FILE_LINES + " sync requests, one with a"
                + " token in it) to the ingest bucket as source local: Events rule → bulk-ingest-fn");
        StringBuilder file = new StringBuilder();
        for (int n = 1; n <= DemoReport.BulkResult.FILE_LINES; n++) {
            ObjectNode line = JSON.createObjectNode();
            line.put("streamKey", "demo-bulk");
            ObjectNode m = line.putObject("streamMessage");
            m.put("targetRestApi", targetUrl + BULK_PATH + n);
            m.put("targetRestApiOperation", "POST");
            m.putObject("targetRestApiPayload").put("orderid", "bulk-" + n);
            if (n == DemoReport.BulkResult.FILE_LINES) {
                m.put("token", "demo-token-in-a-file"); // a file never carries a credential: refused
            }
            file.append(JSON.writeValueAsString(line)).append('\n');
        }
        IngestDriver.Outcome o = new IngestDriver(stack.clients().objectStorage(), stack.oci().resources().namespace())
                .ingest("local", name, file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        Duration.ofMinutes(2), p -> { });
        JsonNode summary = o.summary();
        out.printf("   %s: %d lines, %d written to DataSyncStream, %d refused%n", o.results(),
                summary.path("lines").asLong(), summary.path("written").asLong(), summary.path("refused").asLong());
        for (JsonNode r : o.refusedLines()) {
            out.printf("   line %d refused: %s %s%n", r.path("line").asLong(), r.path("error").path("code").asText(),
                    r.path("error").path("field").asText(""));
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long delivered = 0;
        while (System.nanoTime() < deadline) {
            delivered = target.received().stream().filter(r -> r.path().startsWith(BULK_PATH) && r.succeeded())
                    .map(SampleTarget.Received::idempotencyKey).distinct().count();
            if (delivered >= summary.path("written").asLong()) {
                break;
            }
            Thread.sleep(200);
        }
        out.printf("   %d delivered to the target; the file is now %s%n", delivered,
                summary.path("processedAs").asText());
        return new DemoReport.BulkResult(summary.path("written").asLong(), summary.path("refused").asLong(),
                delivered);
    }

    /** The /stream/sync answer to one case: its status, and the syncId when accepted. */
    private record Accepted(int status, String syncId) {
    }

    private void replayRecoverable() throws Exception {
        RetryDriver driver = new RetryDriver(stack.gatewayUrl(), stack.adminToken());
        for (ErrorStream es : stack.errorStreams()) {
            if (es.errorClass().equals("unrecoverable") || es.errorClass().equals(Topology.DEAD_LETTER_CLASS)) {
                out.printf("   %-30s skipped (%s)%n", es.name(), es.errorClass());
                continue;
            }
            int partitions = inspector.get(es.ocid()).getPartitions();
            for (int p = 0; p < partitions; p++) {
                RetryDriver.Totals t = driver.replay(es.ocid(), Integer.toString(p), -1, 10, step -> { });
                out.printf("   %-30s p%d: %d call(s), %d delivered, %d failed again, end of stream at %d%n",
                        es.name(), p, t.calls(), t.delivered(), t.failed(), t.lastReadOffset());
            }
        }
    }

    private String shortTarget(DemoCase c) {
        if (c.targetPath() == null) {
            return "(no targetRestApi)";
        }
        return c.targetPath().startsWith("http") ? c.targetPath().replace("http://127.0.0.1", "")
                .replaceFirst("^:(\\d+)", "port $1 ") : c.targetPath();
    }

    private HttpResponse<String> sync(DemoCase c) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("streamKey", "demo-" + c.name());
        ObjectNode m = body.putObject("streamMessage");
        m.put("vaultSecretName", c.secretName());
        if (c.targetPath() != null) {
            m.put("targetRestApi", c.targetPath().startsWith("http") ? c.targetPath()
                    : target.baseUrl() + c.targetPath());
        }
        m.put("targetRestApiOperation", c.operation());
        ObjectNode payload = m.putObject("targetRestApiPayload");
        payload.put("orderid", "order-" + c.name());
        payload.put("PO", "po-" + c.name());
        ObjectNode h = m.putArray("targetRestApiHeaders").addObject();
        h.put("key", "Content-Type");
        h.put("value", "application/json");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/stream/sync"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", c.token());
        if (c.withCredential()) {
            request.header(SourceHeaders.SOURCE_TOKEN, "Bearer " + sourceToken);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
