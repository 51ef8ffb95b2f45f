package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.local.RunningStack;
import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.demo.CaseResult;
import dev.datasync.local.demo.DemoReport;
import dev.datasync.local.demo.DemoScenario;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.local.log.LogFanOut;
import dev.datasync.local.stack.ErrorStream;
import dev.datasync.local.stack.PipelineStack;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * The demo's flow through the real gateway over HTTP, with the real functions in the FDK runtime, the connectors
 * and local-oci: every message's fate, the token the target received, the Idempotency-Key, and that retry
 * recovers the recoverable ones; error streams archived; no token in any stream.
 */
public class PipelineStackEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningStack running;
    private static SampleTarget target;
    private static PipelineStack stack;
    private static DemoReport report;
    private static String narrative;
    private static List<String> startLines;

    @BeforeClass
    public static void runDemoFlow() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DATASYNC_ARCHIVE_ROLLOVER_TIME_IN_MS", "300");
        env.put("DATASYNC_NOTIFICATION_INTERVAL_SEC", "1");
        // a user's allow-list for their real targets must not break the demo: it brings its own
        env.put("DATASYNC_TARGET_ALLOWLIST", "orders.example.com");
        // the stack's log fan-out first: the tee below wraps it, and restoring System.err afterwards restores it,
        // so the stacks this JVM starts later still write their functions' lines to their log files
        LogFanOut.install();
        PrintStream err = System.err;
        ByteArrayOutputStream startLog = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new java.io.OutputStream() { // tee: the console and startLog
            @Override
            public void write(int b) {
                err.write(b);
                startLog.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                err.write(b, off, len);
                startLog.write(b, off, len);
            }
        }, true));
        try {
            running = RunningStack.start(env, DemoScenario::stackSettings);
        } finally {
            System.setErr(err);
        }
        stack = running.stack();
        target = running.target();
        startLines = startLog.toString(StandardCharsets.UTF_8).lines().toList();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        report = new DemoScenario(stack, target, new PrintStream(buf, true)).run(DemoScenario.unusedPort());
        narrative = buf.toString(StandardCharsets.UTF_8);
        System.out.println(narrative);
    }

    @AfterClass
    public static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static CaseResult result(String name) {
        return report.cases().stream().filter(c -> c.demoCase().name().equals(name)).findFirst().orElseThrow();
    }

    /** Requests the target got for one case, found by the payload the case sent (not by the key we check). */
    private static List<SampleTarget.Received> receivedFor(String caseName) {
        return target.received().stream().filter(r -> r.body().contains("\"order-" + caseName + "\"")).toList();
    }

    /** The names → OCIDs local-oci wrote into the stack's data dir. */
    private static JsonNode resources() throws Exception {
        return JSON.readTree(stack.dataDir().resolve("oci/resources.json").toFile());
    }

    @Test
    public void theDemoUsesItsOwnLoopbackAllowlistWhateverTheUserSet() throws Exception {
        JsonNode appConfig = JSON.readTree(stack.dataDir().resolve("app-config.json").toFile());
        assertEquals(DemoScenario.TARGET_ALLOWLIST, appConfig.get("target_allowlist").asText());
    }

    @Test
    public void warmUpLogsNothingAlarming() throws Exception {
        int warmUpLines = 0;
        for (String line : startLines) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            assertFalse(line, n.path("event").asText().endsWith(".rejected")
                    && !n.path("level").asText().equals("INFO"));
            assertNotEquals(line, "ERROR", n.path("level").asText());
            if (n.path("warmUp").asBoolean()) {
                warmUpLines++;
                assertEquals(line, "INFO", n.path("level").asText());
            }
        }
        assertTrue("the warm-up calls' own lines are marked: " + startLines, warmUpLines >= 2);
    }

    @Test
    public void everyMessageEndsWhereItShould() {
        assertTrue(narrative, report.asExpected());
        assertEquals(7, report.accepted());
        assertEquals(6, report.delivered());
        assertEquals("the demo file's three valid lines", new DemoReport.BulkResult(3, 1, 3), report.bulk());
        assertTrue(narrative, narrative.contains("line 4 refused: CredentialNotAllowed streamMessage.token"));
        assertNull(result("ok-post").firstStream());
        assertEquals("ServiceUnavailableErrorStream", result("503").firstStream());
        assertEquals("ServiceUnavailableErrorStream", result("refused").firstStream());
        assertEquals("InternalServerErrorStream", result("500").firstStream());
        assertEquals("DefaultErrorStream", result("404").firstStream());
        assertEquals("UnrecoverableErrorStream", result("400").firstStream());
        assertFalse(result("400").delivered());
        CaseResult invalid = result("invalid");
        assertNull(invalid.syncId());
        assertEquals(400, invalid.syncStatus());
        // the demo prints the answer's code, field and message: the refusal names the missing field
        assertTrue(narrative, narrative.lines().anyMatch(line -> line.trim().startsWith("invalid ")
                && line.contains(" 400 ") && line.contains(" streamMessage.targetRestApi: ")));
    }

    @Test
    public void theDemoShowsACallWithoutASourceCredentialRefusedAndNeverWritten() {
        CaseResult anonymous = result("anonymous");
        assertFalse(anonymous.demoCase().withCredential());
        assertEquals(401, anonymous.syncStatus());
        assertNull(anonymous.syncId());
        assertTrue("its valid request never reached the target", receivedFor("anonymous").isEmpty());
        assertTrue(narrative, narrative.lines().anyMatch(line -> line.trim().startsWith("anonymous ")
                && line.contains(" 401 Unauthorized X-DataSync-Source-Token: missing source credential")));
    }

    @Test
    public void targetGetsTheCallersTokenAndTheSyncIdAsIdempotencyKeyOnEveryAttempt() {
        for (CaseResult c : report.cases()) {
            List<SampleTarget.Received> got = receivedFor(c.demoCase().name());
            if (c.syncId() == null) {
                assertTrue("a rejected request never reaches the target", got.isEmpty());
                continue;
            }
            assertFalse(c.demoCase().name() + " reached the target", got.isEmpty()
                    && !c.demoCase().name().equals("refused"));
            for (SampleTarget.Received r : got) {
                assertEquals(c.demoCase().token(), r.authorization());
                assertEquals(c.syncId(), r.idempotencyKey());
                assertEquals(c.demoCase().operation(), r.method());
            }
        }
        // transient outcomes were retried inside the read function before routing (same key each time)
        long attempts503 = receivedFor("503").stream().filter(r -> r.answered() == 503).count();
        assertTrue("503 retried in-call, got " + attempts503, attempts503 >= 2);
        assertEquals("400 is not retried", 1, receivedFor("400").size());
    }

    @Test
    public void noTokenIsWrittenToAnyStream() throws Exception {
        StreamInspector inspector = new StreamInspector(stack.clients().streamAdmin(), stack.clients().stream());
        List<String> ids = new ArrayList<>();
        resources().get("streams").forEach(id -> ids.add(id.asText()));
        for (String id : ids) {
            int partitions = inspector.get(id).getPartitions();
            for (int p = 0; p < partitions; p++) {
                for (Message m : inspector.read(id, Integer.toString(p), null, 10_000)) {
                    String v = new String(m.getValue(), StandardCharsets.UTF_8);
                    assertFalse(v, v.contains("demo-token-"));
                    assertFalse(v, v.contains("Bearer"));
                }
            }
        }
    }

    @Test
    public void everyErrorStreamIsArchivedAsJsonLines() throws Exception {
        String ns = resources().get("namespace").asText();
        Set<String> expected = new TreeSet<>();
        for (CaseResult c : report.cases()) {
            if (c.firstStream() != null) {
                expected.add(c.syncId());
            }
        }
        Set<String> archived = new TreeSet<>();
        long until = System.currentTimeMillis() + 15_000;
        while (!archived.containsAll(expected) && System.currentTimeMillis() < until) {
            archived.clear();
            for (ObjectSummary o : stack.clients().objectStorage().listObjects(ListObjectsRequest.builder()
                    .namespaceName(ns).bucketName("datasync-error-archive").prefix("error-archive/").build())
                    .getListObjects().getObjects()) {
                assertTrue(o.getName(), o.getName().endsWith(".jsonl"));
                try (InputStream in = stack.clients().objectStorage().getObject(GetObjectRequest.builder()
                        .namespaceName(ns).bucketName("datasync-error-archive").objectName(o.getName()).build())
                        .getInputStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        JsonNode n = JSON.readTree(line);
                        assertNotNull(n.get("offset"));
                        String errorClass = o.getName().split("/")[1];
                        assertTrue(o.getName(), Set.of("unrecoverable", "serviceUnavailable", "internalserver",
                                "default").contains(errorClass));
                        archived.add(n.path("value").path("syncId").asText());
                    }
                }
            }
            Thread.sleep(200);
        }
        assertTrue("archived " + archived + " expected " + expected, archived.containsAll(expected));
    }

    @Test
    public void errorStreamsAreNotifiedAsDigestsWithCodesAndNoPayload() throws Exception {
        Path outbox = stack.dataDir().resolve("oci/outbox/datasync-error-notifications.jsonl");
        Map<String, Integer> codes = new HashMap<>();
        long until = System.currentTimeMillis() + 15_000;
        // first-time routing: 503 + network → serviceUnavailable, 500, 404, 400
        while (System.currentTimeMillis() < until) {
            codes.clear();
            if (Files.exists(outbox)) {
                for (String line : Files.readAllLines(outbox)) {
                    JsonNode msg = JSON.readTree(line);
                    String body = msg.get("body").asText();
                    assertFalse(body, body.contains("order-"));
                    assertFalse(body, body.contains("demo-token-"));
                    assertFalse(body, body.contains("127.0.0.1"));
                    assertTrue(msg.get("title").asText(), msg.get("title").asText().contains("ErrorStream"));
                    JSON.readTree(body).get("codes").fields().forEachRemaining(e ->
                            codes.merge(e.getKey(), e.getValue().asInt(), Integer::sum));
                }
            }
            if (codes.keySet().containsAll(Set.of("503", "500", "404", "400", "network"))) {
                break;
            }
            Thread.sleep(200);
        }
        assertTrue("digest codes " + codes, codes.keySet().containsAll(Set.of("503", "500", "404", "400", "network")));
    }

    private static String cli(String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int status = dev.datasync.local.cli.DataSyncCliAccess.run(List.of(args),
                Map.of("DATASYNC_DATA_DIR", stack.dataDir().toString()), new PrintStream(buf, true));
        assertEquals(buf.toString(StandardCharsets.UTF_8), 0, status);
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void cliListsStreamsAndDecodedMessagesWithSecretNamesOnly() throws Exception {
        JsonNode streams = JSON.readTree(cli("streams", "--json"));
        Map<String, JsonNode> byName = new HashMap<>();
        streams.forEach(n -> byName.put(n.get("name").asText(), n));
        assertEquals(2, byName.get("DataSyncStream").get("partitions").asInt());
        // the seven accepted sync requests and the demo file's valid lines
        assertEquals(7 + report.bulk().written(), byName.get("DataSyncStream").get("retainedMessages").asInt());
        assertEquals(1, byName.get("UnrecoverableErrorStream").get("retainedMessages").asInt());
        assertEquals(resources().get("streams").get("DefaultErrorStream").asText(),
                byName.get("DefaultErrorStream").get("id").asText());

        JsonNode msgs = JSON.readTree(cli("messages", "UnrecoverableErrorStream", "--json"));
        assertEquals(1, msgs.size());
        JsonNode m = msgs.get(0);
        assertEquals(result("400").syncId(), m.path("value").path("syncId").asText());
        assertEquals("demo-400", m.path("value").path("vaultSecretName").asText());
        assertEquals(400, m.path("value").path("lastError").path("status").asInt());
        assertEquals("demo-400", m.path("key").asText());

        String text = cli("messages", "DataSyncStream", "--partition", "0", "--limit", "2");
        assertEquals(text, 2, text.lines().count());
        assertTrue(text, text.startsWith("p0 @0 "));
        assertFalse(text, text.contains("demo-token-"));
    }

    @Test
    public void cliMessagesFromAnOffsetPastOnePartitionsEndShowsTheOthers() throws Exception {
        Map<String, Integer> perPartition = new HashMap<>();
        JSON.readTree(cli("messages", "DataSyncStream", "--json", "--limit", "1000"))
                .forEach(m -> perPartition.merge(m.get("partition").asText(), 1, Integer::sum));
        assertEquals(7 + report.bulk().written(), perPartition.values().stream().mapToInt(Integer::intValue).sum());
        int smallest = Math.min(perPartition.getOrDefault("0", 0), perPartition.getOrDefault("1", 0));
        int from = smallest + 1; // past the smaller partition's end (its next offset is `smallest`)
        long expected = perPartition.values().stream().mapToLong(n -> Math.max(0, n - from)).sum();

        JsonNode msgs = JSON.readTree(cli("messages", "DataSyncStream", "--from", Integer.toString(from), "--json"));
        assertEquals(msgs.toString(), expected, msgs.size());
        msgs.forEach(m -> assertTrue(m.toString(), m.get("offset").asLong() >= from));
        String farPast = cli("messages", "DataSyncStream", "--from", "1000");
        assertEquals("(no messages)", farPast.trim());
    }

    @Test
    public void cliRetryReplaysUntilEndOfStream() throws Exception {
        // --from 0: whatever another test's retry left in retry-marks.json, read the stream from its start
        String out = cli("retry", "DefaultErrorStream", "--batch", "5", "--from", "0");
        assertTrue(out, out.contains("(end of stream)"));
        // the 404 message was delivered by the demo's replay already: a replay of the same range (issue 10) sends
        // nothing again and counts it
        assertTrue(out, out.contains("0 delivered, 0 failed again, 1 already delivered"));
        assertEquals(1, receivedFor("404").stream().filter(SampleTarget.Received::succeeded).count());
    }

    @Test
    public void cliRetryFromStartsAtTheOffset() throws Exception {
        // DefaultErrorStream holds one message, at offset 0 (the 404 case), which the demo's replay delivered: read
        // from offset 0 it counts as already delivered (issue 10: not sent again), read from 1 it is not read at all
        String from0 = cli("retry", "DefaultErrorStream", "--from", "0");
        assertTrue(from0, from0.contains("done: 1 of 1, 1 partition, 1 calls, 0 delivered, 0 failed again, 1 already delivered"));
        String past = cli("retry", "DefaultErrorStream", "--from", "1");
        assertTrue(past, past.contains(" 0 delivered"));
        assertFalse(past, past.contains(" 1 delivered"));
        assertFalse(past, past.contains("already"));
    }

    /** Runs a command that fails as ./datasync would; returns its stderr. */
    private static String failingCli(Map<String, String> extraEnv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("DATASYNC_DATA_DIR", stack.dataDir().toString());
        int status = dev.datasync.local.cli.DataSyncCliAccess.execute(List.of(args), env,
                new PrintStream(out, true), new PrintStream(err, true));
        String text = err.toString(StandardCharsets.UTF_8);
        assertNotEquals(text, 0, status);
        return text;
    }

    @Test
    public void cliOciErrorIsStatusServiceCodeAndTheServicesMessageOnly() {
        String err = failingCli(Map.of(), "messages", "ocid1.stream.oc1.iad.doesnotexist");
        assertEquals(err, 1, err.lines().count());
        assertTrue(err, err.startsWith("datasync: 404 NotAuthorizedOrNotFound: "));
        for (String sdkNoise : List.of("opc-request-id", "Troubleshooting", "Client version", "Timeout", "http")) {
            assertFalse(err, err.contains(sdkNoise));
        }
    }

    @Test
    public void cliRetryWithAWrongAdminTokenSaysWhereTheRightOneIs() {
        String err = failingCli(Map.of("DATASYNC_ADMIN_TOKEN", "not-the-stacks-token"), "retry", "DefaultErrorStream");
        assertTrue(err, err.contains("401"));
        assertTrue(err, err.contains("set DATASYNC_ADMIN_TOKEN to the token the running stack was started with"));
        assertTrue(err, err.contains(stack.dataDir().resolve("admin-token").toString()));
        assertFalse(err, err.contains("not-the-stacks-token"));
        assertFalse(err, err.contains(stack.adminToken()));
    }

    @Test
    public void retryRouteRefusesCallsWithoutTheAdminToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ErrorStream es = stack.errorStreams().get(0);
        String body = "{\"streamOCIDToRetry\":\"" + es.ocid() + "\",\"noOfMessagesToProcess\":1,"
                + "\"readAfterOffset\":-1,\"readPartition\":\"0\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/stream/retry"))
                .header("Authorization", "Bearer not-the-admin-token")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/health"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
    }
}
