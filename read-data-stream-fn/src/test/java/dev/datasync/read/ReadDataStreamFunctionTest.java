package dev.datasync.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.TokenSecretName;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.testing.FnTestingRules;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.LocalPipelineRule;
import dev.datasync.shared.testing.RepoFiles;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import dev.datasync.shared.testing.SourceObjects;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.datasync.read.SchBatches.CONTENT_TYPE_JSON;
import static dev.datasync.read.SchBatches.PAYLOAD;
import static dev.datasync.read.SchBatches.batch;
import static dev.datasync.read.SchBatches.element;
import static dev.datasync.read.SchBatches.fromSource;
import static dev.datasync.read.SchBatches.withSecret;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * ReadDataStreamFunction's contract through the FDK (FnTestingRule), with the real SDK against local-oci and a real
 * local target. Includes the regression tests for the reference's delivering-function defects.
 */
public class ReadDataStreamFunctionTest {

    @ClassRule
    public static final LocalPipelineRule ENV = new LocalPipelineRule();

    @Rule
    public final FnTestingRule fn = FnTestingRules.against(env());

    private static LocalPipeline env() {
        return ENV.pipeline();
    }

    @After
    public void clearFaults() {
        env().oci().faults().clear();
    }

    /** A stored message to a path of the environment's target. */
    private static String message(String targetPath, String op, String syncId, String headers) {
        return SchBatches.message(env().target().baseUrl() + targetPath, op, syncId, headers);
    }

    private FnResult run(String body) {
        fn.givenEvent().withBody(body).enqueue();
        fn.thenRun(ReadDataStreamFunction.class, "handleRequest");
        return fn.getOnlyResult();
    }

    private static int size(String stream) {
        return env().readAll(stream).size();
    }

    /**
     * log_level: by default (INFO) a delivered message writes no line (it is DEBUG: no OCI Logging line per delivered
     * message); DEBUG writes it; a failure is logged either way. Every line on stderr is a JSON line.
     */
    @Test
    public void aDeliveredMessageIsLoggedOnlyAtLogLevelDebug() {
        String p = "/levels-" + System.nanoTime();
        String body = batch(element("k", message(p, "POST", "lvl-1", CONTENT_TYPE_JSON), 51, 1764050400456L));
        assertEquals(OutputEvent.Status.Success, run(body).getStatus());
        String byDefault = fn.getStdErrAsString();
        assertFalse(byDefault, byDefault.contains("\"delivery.delivered\""));
        assertTrue("the function did log: " + byDefault, byDefault.contains("\"level\":\"INFO\""));
        for (String line : byDefault.split("\n")) {
            assertTrue("not a JSON line: " + line, line.isBlank() || line.startsWith("{"));
        }
    }

    @Test
    public void logLevelDebugWritesTheDeliveredLine() {
        fn.setConfig("log_level", "debug");
        String p = "/levels-" + System.nanoTime();
        String body = batch(element("k", message(p, "POST", "lvl-2", CONTENT_TYPE_JSON), 52, 1764050400456L));
        assertEquals(OutputEvent.Status.Success, run(body).getStatus());
        String stderr = fn.getStdErrAsString();
        assertTrue(stderr, stderr.contains("\"level\":\"DEBUG\"") && stderr.contains("\"delivery.delivered\"")
                && stderr.contains("\"syncId\":\"lvl-2\""));
    }

    @Test
    public void deliversASchBatchWithBothTimestampFormsAndANullKey() {
        String p = "/orders-" + System.nanoTime();
        String body = batch(
                element("key1", message(p, "POST", "s1", CONTENT_TYPE_JSON), 41, "2026-11-25T06:00:00.123Z"),
                element(null, message(p + "/18jan", "DELETE", "s2", CONTENT_TYPE_JSON), 42, 1764050400456L));
        FnResult r = run(body);

        assertEquals(OutputEvent.Status.Success, r.getStatus());
        assertEquals("""
                {"messages":2,"delivered":2,"routed":0}""", r.getBodyAsString());
        ScriptedTarget.Received post = env().target().received(p).get(0);
        assertEquals("POST", post.method());
        assertEquals("s1", post.header("Idempotency-Key"));
        assertEquals(PAYLOAD, post.bodyText());
        ScriptedTarget.Received delete = env().target().received(p + "/18jan").get(0);
        assertEquals("DELETE", delete.method());
        assertEquals("s2", delete.header("Idempotency-Key"));
    }

    @Test
    public void theReferenceSampleBatchIsAcceptedAndItsUnlistedTargetRoutedAsInvalid() throws Exception {
        // the seed's own batch targets orders.example.com, which this configuration's allow-list does not admit
        byte[] sample = Files.readAllBytes(RepoFiles.example("sch-streaming-batch.json"));
        int before = size(LocalPipeline.UNRECOVERABLE);
        FnResult r = run(new String(sample, StandardCharsets.UTF_8));
        assertEquals(OutputEvent.Status.Success, r.getStatus());
        List<Message> routed = env().readAll(LocalPipeline.UNRECOVERABLE);
        assertEquals(before + 2, routed.size());
        Message first = routed.get(before);
        Message second = routed.get(before + 1);
        assertEquals("key1", new String(first.getKey(), StandardCharsets.UTF_8));
        assertNull("a null key must stay null, not become \"null\"", second.getKey());
        JsonNode env1 = Json.parse(first.getValue());
        // the decoded message, not the connector's base64, so a retry can parse it
        assertEquals("https://orders.example.com/api/latest/orders", env1.get("targetRestApi").asText());
        assertEquals("invalid", env1.get("lastError").get("kind").asText());
        assertTrue(env1.get("lastError").get("reason").asText().contains("orders.example.com"));
        assertEquals(41, env1.get("source").get("offset").asLong());
        // no syncId in the sample: one derived from the bytes, the same on every redelivery
        assertTrue(env1.get("syncId").asText().length() > 0);
    }

    @Test
    public void networkFailuresAndTimeOutsAreRecoverableNotUnrecoverable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        fn.setConfig("delivery_max_attempts", "2");
        fn.setConfig("delivery_request_timeout_ms", "300");
        String slow = "/slow-" + System.nanoTime();
        env().target().byDefault(slow, Reply.status(200).delayed(1000));
        String refused = """
                {"targetRestApi":"http://127.0.0.1:%d/x","targetRestApiOperation":"PUT","syncId":"s-net"}"""
                .formatted(closed);
        int unavailable = size(LocalPipeline.SERVICE_UNAVAILABLE);
        int unrecoverable = size(LocalPipeline.UNRECOVERABLE);
        FnResult r = run(batch(element(null, refused, 1, 1764050400456L),
                element(null, message(slow, "POST", "s-slow", null), 2, 1764050400456L)));
        assertEquals(OutputEvent.Status.Success, r.getStatus());
        List<Message> routed = env().readAll(LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(unavailable + 2, routed.size());
        assertEquals(unrecoverable, size(LocalPipeline.UNRECOVERABLE));
        Set<String> kinds = new HashSet<>();
        for (Message m : routed.subList(unavailable, routed.size())) {
            kinds.add(Json.parse(m.getValue()).get("lastError").get("kind").asText());
        }
        assertEquals(Set.of("network", "timeout"), kinds);
    }

    @Test
    public void authorizationInTargetHeadersIsNeverSentAndMissingHeadersAreFine() {
        String p = "/auth-" + System.nanoTime();
        String smuggled = message(p, "POST", "s-auth", """
                [{"key":"Authorization","value":"Basic c3RvbGVu"}]""");
        String bare = message(p, "PUT", "s-bare", null);
        int before = size(LocalPipeline.UNRECOVERABLE);
        FnResult r = run(batch(element("k", smuggled, 1, 1L), element(null, bare, 2, 2L)));
        assertEquals(OutputEvent.Status.Success, r.getStatus());
        List<ScriptedTarget.Received> calls = env().target().received(p);
        assertEquals("only the message without headers was sent", 1, calls.size());
        assertEquals("s-bare", calls.get(0).header("Idempotency-Key"));
        assertNull(calls.get(0).header("Authorization"));
        assertEquals(before + 1, size(LocalPipeline.UNRECOVERABLE));
    }

    @Test
    public void anInvocationFailsWhenFailuresCannotBePlacedSoTheConnectorRedelivers() {
        String p = "/unplaceable-" + System.nanoTime();
        env().target().byDefault(p, Reply.status(400));
        // every entry refused (the request itself succeeds, so no SDK retries slow the test down)
        env().oci().faults().set("PutMessages", new FaultRule(null, null, null, 1.0));
        FnResult r = run(batch(element(null, message(p, "POST", "s-x", null), 1, 1L)));
        assertEquals(OutputEvent.Status.FunctionError, r.getStatus());
    }

    @Test
    public void clientsAreReusedAcrossMessagesAndInvocationsAndNoControlPlaneCallsAreMade() {
        // the reference listed streams on every batch and fetched the stream per error write: those calls now fail
        env().oci().faults().set("ListStreams", FaultRule.failing(1.0, 500));
        env().oci().faults().set("GetStream", FaultRule.failing(1.0, 500));
        String p = "/reuse-" + System.nanoTime();
        String bad = "/reuse-bad-" + System.nanoTime();
        env().target().byDefault(bad, Reply.status(400));
        for (int i = 0; i < 3; i++) {
            fn.givenEvent().withBody(batch(element("same", message(p, "POST", "r" + i + "a", null), i, 1L),
                    element("same", message(p, "POST", "r" + i + "b", null), i, 1L),
                    element(null, message(bad, "POST", "r" + i + "c", null), i, 1L))).enqueue();
        }
        fn.thenRun(ReadDataStreamFunction.class, "handleRequest");
        for (FnResult r : fn.getResults()) {
            assertEquals(OutputEvent.Status.Success, r.getStatus());
        }
        List<ScriptedTarget.Received> calls = new ArrayList<>(env().target().received(p));
        assertEquals(6, calls.size());
        calls.addAll(env().target().received(bad));
        Set<Integer> connections = calls.stream().map(ScriptedTarget.Received::remotePort).collect(Collectors.toSet());
        // 9 calls in 3 invocations, at most 2 in flight at once: a client per message would open 9 connections
        assertTrue("one HTTP client, its connections kept alive: " + connections, connections.size() <= 2);
        assertFalse(fn.getStdErrAsString().contains("c3RvbGVu"));
    }

    @Test
    public void theTokenComesFromVaultDecodedAndAMissingSecretIsRoutedAsInvalid() throws Exception {
        // stored the way PopulateDataStream stores it (base64 content, bound to the token)
        DataSyncConfig config = DataSyncConfig.from(env().config());
        try (OciClients clients = new OciClients(config.oci())) {
            TokenVault vault = new TokenVault(clients::vaults, clients::secrets, config.vault());
            assertEquals(TokenVault.StoreOutcome.CREATED,
                    vault.store("orders-token-1", "Bearer eyJ.secret-token-value"));
        }
        String p = "/tokens-" + System.nanoTime();
        String withToken = withSecret(message(p, "POST", "s-tok", null), "orders-token-1");
        String unknown = withSecret(message(p, "POST", "s-gone", null), "never-stored");
        int before = size(LocalPipeline.UNRECOVERABLE);
        FnResult r = run(batch(element("a", withToken, 1, 1L), element("b", unknown, 2, 2L)));
        assertEquals(OutputEvent.Status.Success, r.getStatus());
        List<ScriptedTarget.Received> calls = env().target().received(p);
        assertEquals(1, calls.size());
        assertEquals("Bearer eyJ.secret-token-value", calls.get(0).header("Authorization"));
        assertEquals("s-tok", calls.get(0).header("Idempotency-Key"));
        List<Message> routed = env().readAll(LocalPipeline.UNRECOVERABLE);
        assertEquals(before + 1, routed.size());
        JsonNode e = Json.parse(routed.get(before).getValue());
        assertEquals("s-gone", e.get("syncId").asText());
        assertTrue(e.get("lastError").get("reason").asText().contains("never-stored"));
        String everything = fn.getStdErrAsString() + new String(routed.get(before).getValue(), StandardCharsets.UTF_8);
        assertFalse("the token must never reach logs or streams", everything.contains("secret-token-value"));
    }

    /**
     * Issue 9: a message reads its own source's secret (two sources, one vaultSecretName), reaches only what its
     * source's registry object allows, and a message without a source can never name a source's secret.
     */
    @Test
    public void eachMessageUsesItsOwnSourcesSecretAndAllowlist() throws Exception {
        DataSyncConfig config = DataSyncConfig.from(env().config());
        try (OciClients clients = new OciClients(config.oci())) {
            TokenVault vault = new TokenVault(clients::vaults, clients::secrets, config.vault());
            vault.store(TokenSecretName.of("orders-app", "shared"), "Bearer orders-read-token");
            vault.store(TokenSecretName.of("billing", "shared"), "Bearer billing-read-token");
        }
        SourceObjects.put(env().oci(), "read-narrow", SourceObjects.policy("read-narrow", List.of("127.0.0.1:1"),
                null));
        String p = "/read-sources-" + System.nanoTime();
        String orders = fromSource(withSecret(message(p, "POST", "rs-orders", null), "shared"), "orders-app");
        String billing = fromSource(withSecret(message(p, "POST", "rs-billing", null), "shared"), "billing");
        String narrow = fromSource(message(p, "POST", "rs-narrow", null), "read-narrow");
        String legacy = withSecret(message(p, "POST", "rs-legacy", null), "src.orders-app.shared");
        int before = size(LocalPipeline.UNRECOVERABLE);
        FnResult r = run(batch(element(null, orders, 1, 1L), element(null, billing, 2, 1L),
                element(null, narrow, 3, 1L), element(null, legacy, 4, 1L)));

        assertEquals(OutputEvent.Status.Success, r.getStatus());
        List<ScriptedTarget.Received> calls = env().target().received(p);
        assertEquals(2, calls.size());
        for (ScriptedTarget.Received c : calls) {
            assertEquals(c.header("Idempotency-Key").equals("rs-orders") ? "Bearer orders-read-token"
                    : "Bearer billing-read-token", c.header("Authorization"));
        }
        List<Message> routed = env().readAll(LocalPipeline.UNRECOVERABLE).subList(before, before + 2);
        JsonNode narrowed = Json.parse(routed.get(0).getValue());
        assertEquals("rs-narrow", narrowed.get("syncId").asText());
        assertEquals("read-narrow", narrowed.get("sourceId").asText());
        assertTrue(narrowed.get("lastError").get("reason").asText().contains("source's allow-list"));
        JsonNode legacyRouted = Json.parse(routed.get(1).getValue());
        assertEquals("rs-legacy", legacyRouted.get("syncId").asText());
        assertEquals("invalid", legacyRouted.get("lastError").get("kind").asText());
        assertFalse(fn.getStdErrAsString().contains("read-token"));
    }

    @Test
    public void aBodyThatIsNotABatchIsRoutedWholeNotDropped() throws Exception {
        String notABatch = """
                {"not":"a batch"}""";
        int before = size(LocalPipeline.UNRECOVERABLE);
        FnResult r = run(notABatch);
        assertEquals(OutputEvent.Status.Success, r.getStatus());
        List<Message> routed = env().readAll(LocalPipeline.UNRECOVERABLE);
        assertEquals(before + 1, routed.size());
        JsonNode e = Json.parse(routed.get(before).getValue());
        assertEquals(notABatch, new String(Base64.getDecoder().decode(e.get("undecodableValue").asText()),
                StandardCharsets.UTF_8));
    }

    @Test
    public void aMegabyteNonJsonValueIsRoutedCappedSoTheBatchSettlesInsteadOfStalling() throws Exception {
        // base64 of ~1 MB in the envelope would be ~1.33 MB: OCI refuses it, the invocation would fail and SCH would
        // hand the same batch over forever
        String poison = "<" + "x".repeat(999_999);
        String p = "/after-poison-" + System.nanoTime();
        int before = size(LocalPipeline.UNRECOVERABLE);
        FnResult r = run(batch(element("pk", poison, 77, "2026-11-25T06:00:00Z"),
                element(null, message(p, "POST", "s-after", null), 78, "2026-11-25T06:00:00Z")));
        assertEquals(fn.getStdErrAsString(), OutputEvent.Status.Success, r.getStatus());
        assertEquals("""
                {"messages":2,"delivered":1,"routed":1}""", r.getBodyAsString());
        List<Message> routed = env().readAll(LocalPipeline.UNRECOVERABLE);
        assertEquals(before + 1, routed.size());
        JsonNode e = Json.parse(routed.get(before).getValue());
        assertTrue(e.get("undecodableValueTruncated").asBoolean());
        assertEquals(1_000_000, e.get("valueBytes").asLong());
        assertEquals(64, e.get("valueSha256").asText().length());
        assertTrue(new String(Base64.getDecoder().decode(e.get("undecodableValue").asText()), StandardCharsets.UTF_8)
                .startsWith("<xxx"));
        assertEquals(77, e.get("source").get("offset").asLong());
    }

    @Test
    public void aBadConfigurationFailsNamingTheKey() {
        fn.setConfig("delivery_concurrency", "lots");
        FnResult r = run("[]");
        assertEquals(OutputEvent.Status.FunctionError, r.getStatus());
        assertTrue(fn.getStdErrAsString(), fn.getStdErrAsString().contains("delivery_concurrency"));
    }
}
