package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.shared.contract.IdempotencyHeaders;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.fn.FnHttpGateway;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.testing.FnTestingRules;
import dev.datasync.shared.testing.LocalOciRule;
import dev.datasync.shared.testing.SourceObjects;
import dev.datasync.shared.config.DataSyncConfig;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.TokenSecretName;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.datasync.populate.SyncRequests.secret;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * POST /stream/sync end to end: the function through the real FDK (FnTestingRule), the real OCI SDK with the
 * config-file auth provider, against local-oci started once for the class. The function code is exactly what runs on
 * OCI; only configuration (endpoint, auth, OCIDs) differs.
 */
public class PopulateDataStreamFunctionLocalOciTest {

    @ClassRule
    public static final LocalOciRule OCI = new LocalOciRule();

    @Rule
    public final FnTestingRule fn = FnTestingRules.configured(localConfig(OCI.oci()));

    static StreamClient reader;

    @BeforeClass
    public static void startReader() {
        reader = StreamClient.builder().endpoint(OCI.baseUrl()).build(OCI.authProvider());
    }

    @AfterClass
    public static void stopReader() {
        reader.close();
    }

    /** The application configuration as func-configs/local would give it. */
    static Map<String, String> localConfig(LocalOci oci) {
        Map<String, String> m = TestConfigs.forLocalOci(oci);
        m.put("stream_compartment_ocid", oci.resources().compartments().get("DataSyncCompartment"));
        m.put("target_allowlist", "127.0.0.1:9443,orders.example.com");
        m.put("allow_http_targets", "true");
        return m;
    }

    @After
    public void clearFaults() {
        OCI.oci().faults().clear();
    }

    static final String TARGET = "http://127.0.0.1:9443/orders";

    static String request(String key, String extra) {
        return SyncRequests.requestTo(TARGET, key, extra);
    }

    /** Enqueues one gateway request (the rule runs all enqueued events in one container at {@link #run()}). */
    void enqueue(String authorization, String body) {
        enqueueFrom(SyncRequests.SOURCE, authorization, body);
    }

    /** A gateway request of a verified source (the gateway sets X-DataSync-Source-Id). */
    void enqueueFrom(String sourceId, String authorization, String body) {
        FnTestingRules.enqueue(fn, FnHttpGateway.request("POST", "/stream/sync", clientHeaders(sourceId,
                authorization)), body);
    }

    /** A gateway request of {@link SyncRequests#SOURCE} with this Idempotency-Key. */
    void enqueueWithKey(String idempotencyKey, String body) {
        Map<String, String> client = clientHeaders(SyncRequests.SOURCE, null);
        client.put(IdempotencyHeaders.KEY, idempotencyKey);
        FnTestingRules.enqueue(fn, FnHttpGateway.request("POST", "/stream/sync", client), body);
    }

    private static Map<String, String> clientHeaders(String sourceId, String authorization) {
        Map<String, String> client = new java.util.LinkedHashMap<>();
        client.put("Content-Type", "application/json");
        client.put(SourceHeaders.SOURCE_ID, sourceId);
        if (authorization != null) {
            client.put("Authorization", authorization);
        }
        return client;
    }

    /** One thenRun per test: a second one in the same test adds an empty result to the rule's list. */
    List<FnResult> run() {
        fn.thenRun(PopulateDataStreamFunction.class, "handleRequest");
        return fn.getResults();
    }

    static int status(FnResult r) {
        return FnHttpGateway.status(r);
    }

    static Message readAt(String partition, long offset) {
        String stream = OCI.oci().resources().streams().get("DataSyncStream");
        String cursor = reader.createCursor(CreateCursorRequest.builder().streamId(stream)
                .createCursorDetails(CreateCursorDetails.builder().partition(partition)
                        .type(CreateCursorDetails.Type.AtOffset).offset(offset).build()).build()).getCursor().getValue();
        return reader.getMessages(GetMessagesRequest.builder().streamId(stream).cursor(cursor).limit(1).build())
                .getItems().get(0);
    }

    @Test
    public void acceptedRequestIsReadableAtTheAnsweredOffset() throws Exception {
        enqueue(null, request("key1", ""));
        enqueue(null, request("", ""));
        List<FnResult> results = run();
        assertEquals(2, results.size());
        JsonNode first = Json.parse(results.get(0).getBodyAsBytes());
        assertEquals(results.get(0).getBodyAsString(), 202, status(results.get(0)));
        Message m = readAt(first.get("partition").asText(), first.get("offset").asLong());
        assertEquals("key1", new String(m.getKey(), StandardCharsets.UTF_8));
        JsonNode value = Json.parse(m.getValue());
        assertEquals(first.get("syncId").asText(), value.get("syncId").asText());
        assertTrue(value.get("receivedAt").asText().endsWith("Z"));
        assertEquals(TARGET, value.get("targetRestApi").asText());

        JsonNode second = Json.parse(results.get(1).getBodyAsBytes());
        assertEquals(202, status(results.get(1)));
        assertFalse(first.get("syncId").asText().equals(second.get("syncId").asText()));
        assertNull("an empty streamKey is written without key",
                readAt(second.get("partition").asText(), second.get("offset").asLong()).getKey());
    }

    /** Issue 10: Idempotency-Key in through the gateway contract, Idempotent-Replayed out. */
    @Test
    public void aResendWithItsIdempotencyKeyIsAnsweredAgainAndMarkedReplayed() throws Exception {
        enqueueWithKey("fn-order-1", request("idem", ""));
        enqueueWithKey("fn-order-1", request("idem", ""));
        enqueueWithKey("fn-order-1", request("idem-other-body", ""));
        enqueueWithKey("k".repeat(IdempotencyHeaders.MAX_KEY_LENGTH + 1), request("idem", ""));
        List<FnResult> results = run();
        assertEquals(results.get(0).getBodyAsString(), 202, status(results.get(0)));
        assertTrue(FnHttpGateway.responseHeader(results.get(0), IdempotencyHeaders.REPLAYED).isEmpty());
        assertEquals(202, status(results.get(1)));
        assertEquals(results.get(0).getBodyAsString(), results.get(1).getBodyAsString());
        assertEquals("true", FnHttpGateway.responseHeader(results.get(1), IdempotencyHeaders.REPLAYED).orElse(""));
        PopulateDataStreamFunctionTest.expect(results.get(2), 409, "IdempotencyKeyReuse", IdempotencyHeaders.KEY);
        PopulateDataStreamFunctionTest.expect(results.get(3), 400, "InvalidField", IdempotencyHeaders.KEY);
    }

    /** Regression (reference): "success" was answered when PutMessages failed for the caller's entry. */
    @Test
    public void perEntryPutMessagesFailureAnswers503WithRetryAfter() {
        assertAnswers503WithRetryAfterAndNoSyncId(new FaultRule(null, null, null, 1.0));
    }

    @Test
    public void failedPutMessagesRequestAnswers503WithRetryAfter() {
        assertAnswers503WithRetryAfterAndNoSyncId(FaultRule.failing(1.0, 500));
    }

    private void assertAnswers503WithRetryAfterAndNoSyncId(FaultRule putMessages) {
        OCI.oci().faults().set("PutMessages", putMessages);
        enqueue(null, request("k", ""));
        FnResult r = run().get(0);
        assertEquals(r.getBodyAsString(), 503, status(r));
        assertEquals("2", FnHttpGateway.responseHeader(r, "Retry-After").orElse(""));
        assertFalse(r.getBodyAsString().contains("syncId"));
    }

    /** Regressions (reference): raw header in Vault, changed token ignored, names usable without their token. */
    @Test
    public void tokenIsBoundInVaultReusedAndAnotherTokenForTheNameIs409() throws Exception {
        enqueue("Bearer fn-local-token", request("k", secret("fn-orders")));
        enqueue("Bearer fn-local-token", request("k", secret("fn-orders")));
        enqueue("Bearer someone-else", request("k", secret("fn-orders")));
        enqueue(null, request("k", secret("fn-orders")));
        List<FnResult> results = run();
        assertEquals(results.get(0).getBodyAsString(), 202, status(results.get(0)));
        assertEquals(results.get(1).getBodyAsString(), 202, status(results.get(1)));
        assertEquals(results.get(2).getBodyAsString(), 409, status(results.get(2)));
        assertEquals("TokenMismatch", Json.parse(results.get(2).getBodyAsBytes()).get("code").asText());
        assertEquals(401, status(results.get(3)));

        JsonNode accepted = Json.parse(results.get(0).getBodyAsBytes());
        Message m = readAt(accepted.get("partition").asText(), accepted.get("offset").asLong());
        assertFalse("the token never goes into the stream",
                new String(m.getValue(), StandardCharsets.UTF_8).contains("fn-local-token"));
        assertEquals("fn-orders", Json.parse(m.getValue()).get("vaultSecretName").asText());
        assertFalse(fn.getStdErrAsString().contains("fn-local-token"));
        assertFalse(fn.getStdErrAsString().contains("someone-else"));
    }

    @Test
    public void vaultOutageAnswers503WithRetryAfterAndWritesNothing() throws Exception {
        OCI.oci().faults().set("ListSecrets", FaultRule.failing(1.0, 500));
        enqueue("Bearer fn-local-token", request("k", secret("fn-outage")));
        FnResult r = run().get(0);
        assertEquals(r.getBodyAsString(), 503, status(r));
        assertEquals("2", FnHttpGateway.responseHeader(r, "Retry-After").orElse(""));
    }

    /** Issue 9: two sources, one vaultSecretName, two tokens: each kept in its own source's secret in Vault. */
    @Test
    public void twoSourcesWithTheSameSecretNameKeepTheirOwnTokens() throws Exception {
        enqueueFrom("orders-app", "Bearer orders-fn-token", request("k", secret("shared-name")));
        enqueueFrom("billing", "Bearer billing-fn-token", request("k", secret("shared-name")));
        List<FnResult> results = run();
        assertEquals(results.get(0).getBodyAsString(), 202, status(results.get(0)));
        assertEquals(results.get(1).getBodyAsString(), 202, status(results.get(1)));
        DataSyncConfig config = DataSyncConfig.from(localConfig(OCI.oci()));
        try (OciClients clients = new OciClients(config.oci())) {
            TokenVault vault = new TokenVault(clients::vaults, clients::secrets, config.vault());
            assertEquals("Bearer orders-fn-token", vault.read(TokenSecretName.of("orders-app", "shared-name")));
            assertEquals("Bearer billing-fn-token", vault.read(TokenSecretName.of("billing", "shared-name")));
        }
        JsonNode billing = Json.parse(results.get(1).getBodyAsBytes());
        JsonNode stored = Json.parse(readAt(billing.get("partition").asText(), billing.get("offset").asLong())
                .getValue());
        assertEquals("billing", stored.get("sourceId").asText());
        assertEquals("shared-name", stored.get("vaultSecretName").asText());
    }

    /** Issue 9: what the source registry in the state bucket says applies: its allow-list and its secret cap. */
    @Test
    public void theSourceRegistryObjectNarrowsTargetsAndCapsSecrets() throws Exception {
        fn.setConfig("target_allowlist", "127.0.0.1"); // any port of the loopback address; the source: one port
        SourceObjects.put(OCI.oci(), "narrow-app", SourceObjects.policy("narrow-app", List.of("127.0.0.1:9443"), 1));
        enqueueFrom("narrow-app", null, SyncRequests.requestTo("http://127.0.0.1:9444/orders", "k", ""));
        enqueueFrom("narrow-app", "Bearer narrow-token", request("k", secret("first")));
        enqueueFrom("narrow-app", "Bearer narrow-token", request("k", secret("second")));
        List<FnResult> results = run();
        PopulateDataStreamFunctionTest.expect(results.get(0), 400, "TargetNotAllowed", "streamMessage.targetRestApi");
        assertEquals(results.get(1).getBodyAsString(), 202, status(results.get(1)));
        PopulateDataStreamFunctionTest.expect(results.get(2), 429, "SecretLimitExceeded",
                "streamMessage.vaultSecretName");
        assertTrue(FnHttpGateway.responseHeader(results.get(2), "Retry-After").isPresent());
        assertEquals("no secret beyond the cap", List.of(), secretsNamed(TokenSecretName.of("narrow-app", "second")));
    }

    static List<String> secretsNamed(String name) {
        DataSyncConfig c = DataSyncConfig.from(localConfig(OCI.oci()));
        try (OciClients clients = new OciClients(c.oci())) {
            return clients.vaults().listSecrets(ListSecretsRequest.builder().compartmentId(c.vault().compartmentOcid())
                    .vaultId(c.vault().vaultOcid()).name(name).build()).getItems().stream().map(x -> x.getId())
                    .toList();
        }
    }
}
