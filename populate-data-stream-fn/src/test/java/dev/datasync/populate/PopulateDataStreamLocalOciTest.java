package dev.datasync.populate;

import dev.datasync.shared.testing.TestConfigs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.LocalOciConfig;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.testing.FnClassSharing;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * POST /stream/sync end to end: the function through the real FDK (FnTestingRule), the real OCI SDK with the
 * config-file auth provider, against local-oci started once for the class. The function code is exactly what runs on
 * OCI; only configuration (endpoint, auth, OCIDs) differs.
 */
public class PopulateDataStreamLocalOciTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    @Rule
    public final FnTestingRule fn = FnTestingRule.createDefault();

    static LocalOci oci;
    static StreamClient reader;

    @BeforeClass
    public static void start() throws Exception {
        Path decl = Path.of("../func-configs/local/oci-declaration.json");
        oci = LocalOci.start(LocalOciConfig.builder().dataDir(TMP.newFolder("oci").toPath()).port(0)
                .declaration(decl).build());
        reader = StreamClient.builder().endpoint(oci.baseUrl())
                .build(new ConfigFileAuthenticationDetailsProvider(oci.configFile().toString(), oci.profile()));
    }

    @AfterClass
    public static void stop() {
        if (reader != null) {
            reader.close();
        }
        if (oci != null) {
            oci.close();
        }
    }

    /** The application configuration as func-configs/local would give it. */
    static Map<String, String> localConfig(LocalOci oci) {
        Map<String, String> m = TestConfigs.forLocalOci(oci);
        m.put("stream_compartment_ocid", oci.resources().compartments().get("DataSyncCompartment"));
        m.put("target_allowlist", "127.0.0.1:9443,orders.example.com");
        m.put("allow_http_targets", "true");
        return m;
    }

    @Before
    public void configure() {
        FnClassSharing.PREFIXES.forEach(fn::addSharedClassPrefix);
        localConfig(oci).forEach(fn::setConfig);
    }

    @After
    public void clearFaults() {
        oci.faults().clear();
    }

    static final String TARGET = "http://127.0.0.1:9443/orders";

    static String request(String key, String extra) {
        return SyncHandlerTest.request(key, extra).replace(SyncHandlerTest.TARGET, TARGET);
    }

    /** Enqueues one gateway request (the rule runs all enqueued events in one container at {@link #run()}). */
    void enqueue(String authorization, String body) {
        var event = fn.givenEvent()
                .withHeader("Fn-Intent", "httprequest")
                .withHeader("Fn-Http-Method", "POST")
                .withHeader("Fn-Http-Request-Url", "/stream/sync");
        if (authorization != null) {
            event = event.withHeader("Fn-Http-H-Authorization", authorization);
        }
        event.withBody(body).enqueue();
    }

    /** One thenRun per test: a second one in the same test adds an empty result to the rule's list. */
    List<FnResult> run() {
        fn.thenRun(PopulateDataStreamFunction.class, "handleRequest");
        return fn.getResults();
    }

    static int status(FnResult r) {
        return Integer.parseInt(r.getHeaders().get("Fn-Http-Status").orElse("200"));
    }

    static Message readAt(String partition, long offset) {
        String stream = oci.resources().streams().get("DataSyncStream");
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

    /** Regression (reference): "success" was answered when PutMessages failed for the caller's entry. */
    @Test
    public void perEntryPutMessagesFailureAnswers503WithRetryAfter() {
        oci.faults().set("PutMessages", new FaultRule(null, null, null, 1.0));
        enqueue(null, request("k", ""));
        FnResult r = run().get(0);
        assertEquals(r.getBodyAsString(), 503, status(r));
        assertEquals("2", r.getHeaders().get("Fn-Http-H-Retry-After").orElse(""));
        assertFalse(r.getBodyAsString().contains("syncId"));
    }

    @Test
    public void failedPutMessagesRequestAnswers503WithRetryAfter() {
        oci.faults().set("PutMessages", FaultRule.failing(1.0, 500));
        enqueue(null, request("k", ""));
        FnResult r = run().get(0);
        assertEquals(r.getBodyAsString(), 503, status(r));
        assertEquals("2", r.getHeaders().get("Fn-Http-H-Retry-After").orElse(""));
        assertFalse(r.getBodyAsString().contains("syncId"));
    }

    /** Regressions (reference): raw header in Vault, changed token ignored, names usable without their token. */
    @Test
    public void tokenIsBoundInVaultReusedAndAnotherTokenForTheNameIs409() throws Exception {
        enqueue("Bearer fn-local-token", request("k", ",\"vaultSecretName\":\"fn-orders\""));
        enqueue("Bearer fn-local-token", request("k", ",\"vaultSecretName\":\"fn-orders\""));
        enqueue("Bearer someone-else", request("k", ",\"vaultSecretName\":\"fn-orders\""));
        enqueue(null, request("k", ",\"vaultSecretName\":\"fn-orders\""));
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
        oci.faults().set("ListSecrets", FaultRule.failing(1.0, 500));
        enqueue("Bearer fn-local-token", request("k", ",\"vaultSecretName\":\"fn-outage\""));
        FnResult r = run().get(0);
        assertEquals(r.getBodyAsString(), 503, status(r));
        assertEquals("2", r.getHeaders().get("Fn-Http-H-Retry-After").orElse(""));
    }
}
