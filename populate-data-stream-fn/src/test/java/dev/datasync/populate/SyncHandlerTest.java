package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.responses.ListSecretsResponse;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.fn.GatewayAnswer;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.SecretSweeper;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.Before;
import org.junit.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.datasync.populate.SyncRequests.CONTENT_TYPE_HEADERS;
import static dev.datasync.populate.SyncRequests.TARGET;
import static dev.datasync.populate.SyncRequests.member;
import static dev.datasync.populate.SyncRequests.request;
import static dev.datasync.populate.SyncRequests.secret;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** SyncHandler without the FDK: Streaming and Vault are scripted SDK interfaces ({@link FakeOci}). */
public class SyncHandlerTest {

    static final String TOKEN = "Bearer top-secret-token-123";

    FakeOci oci;
    List<String> logLines;
    SyncHandler handler;

    /** Small limits, so the tests reach them; an endpoint nothing answers, as Streaming is scripted here. */
    static Map<String, String> config() {
        Map<String, String> m = TestConfigs.valid();
        m.put("stream_messages_endpoint", "http://127.0.0.1:1");
        m.put("target_allowlist", "orders.example.com,*.example.org");
        m.put("sync_max_batch_items", "3");
        m.put("sync_max_message_bytes", "2000");
        return m;
    }

    @Before
    public void setUp() {
        oci = new FakeOci();
        logLines = new ArrayList<>();
        DataSyncConfig config = DataSyncConfig.from(config());
        AtomicInteger ids = new AtomicInteger();
        TargetGuard guard = new TargetGuard(config.targets(), host -> List.of(InetAddress.getByName("93.184.216.34")));
        handler = new SyncHandler(config, guard, new StreamWriter(oci.stream()),
                new TokenVault(oci.vaults(), oci.secretsClient(), config.vault()), null,
                JsonLog.to(logLines::add, Clock.systemUTC()),
                Clock.fixed(Instant.parse("2026-11-25T06:00:00.123456Z"), ZoneOffset.UTC),
                () -> "sync-" + ids.incrementAndGet());
    }

    GatewayAnswer post(String body, String authorization) {
        return handler.handle("POST", Optional.ofNullable(authorization), body.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(GatewayAnswer r) throws Exception {
        return Json.parse(r.body());
    }

    @Test
    public void acceptsAndWritesTheStoredEnvelope() throws Exception {
        GatewayAnswer r = post(request("key1", secret("789")), TOKEN);
        assertEquals(202, r.status());
        JsonNode body = json(r);
        assertEquals("sync-1", body.get("syncId").asText());
        assertEquals("0", body.get("partition").asText());
        assertEquals(0, body.get("offset").asLong());
        assertEquals(1, oci.written.size());
        assertEquals("key1", new String(oci.written.get(0).getKey(), StandardCharsets.UTF_8));
        JsonNode value = Json.parse(oci.written.get(0).getValue());
        assertEquals("sync-1", value.get("syncId").asText());
        assertEquals("2026-11-25T06:00:00.123Z", value.get("receivedAt").asText());
        assertEquals(TARGET, value.get("targetRestApi").asText());
        assertEquals("789", value.get("vaultSecretName").asText());
        assertEquals("18jan", value.get("targetRestApiPayload").get("orderid").asText());
        assertFalse("the token never goes into the stream", new String(oci.written.get(0).getValue(),
                StandardCharsets.UTF_8).contains("top-secret"));
        assertEquals(TOKEN, new String(Base64.getDecoder().decode(oci.storedContent("789")), StandardCharsets.UTF_8));
        assertNoSecretInLogs();
        assertTrue(logLines.stream().anyMatch(l -> l.contains("\"sync.accepted\"") && l.contains("sync-1")));
    }

    /** OCI may keep a deleted secret's name reserved: that is not "another token" (409 TokenMismatch). */
    @Test
    public void aNameVaultStillReservesIs409SecretNameUnavailable() throws Exception {
        oci.reservedNames.add("retired-789");
        expect(post(request("k", secret("retired-789")), TOKEN), 409, "SecretNameUnavailable",
                "streamMessage.vaultSecretName");
        assertEquals(0, oci.written.size());
        assertNoSecretInLogs();
    }

    /** The sweep is handed to its own executor, never run on the request; and only once Vault is in use. */
    @Test
    public void theSecretSweepIsHandedOffAndOnlyOnceATokenWasStored() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        AtomicInteger listCalls = new AtomicInteger();
        Vaults sweeperVaults = (Vaults) java.lang.reflect.Proxy.newProxyInstance(Vaults.class.getClassLoader(),
                new Class<?>[]{Vaults.class}, (p, m, args) -> {
                    if (!m.getName().equals("listSecrets")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    listCalls.incrementAndGet();
                    return ListSecretsResponse.builder().items(List.of()).build();
                });
        DataSyncConfig config = DataSyncConfig.from(config());
        JsonLog log = JsonLog.to(logLines::add, Clock.systemUTC());
        SecretSweeper sweeper = new SecretSweeper(() -> sweeperVaults, config.vault(), Clock.systemUTC(),
                Duration.ofHours(1), () -> queued::add, log);
        TargetGuard guard = new TargetGuard(config.targets(), host -> List.of(InetAddress.getByName("93.184.216.34")));
        handler = new SyncHandler(config, guard, new StreamWriter(oci.stream()),
                new TokenVault(oci.vaults(), oci.secretsClient(), config.vault()), sweeper, log, Clock.systemUTC(),
                () -> UUID.randomUUID().toString());

        assertEquals(202, post(request("k", ""), null).status());
        assertEquals(400, post("{not json", null).status());
        assertEquals("no token stored yet: no sweep", 0, queued.size());

        assertEquals(202, post(request("k", secret("789")), TOKEN).status());
        assertEquals(1, queued.size());
        assertEquals("the request did not run it", 0, listCalls.get());
        assertEquals(202, post(request("k", secret("789")), TOKEN).status());
        assertEquals("one sweep per interval", 1, queued.size());

        queued.remove(0).run();
        assertEquals(1, listCalls.get());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("\"secret.sweep\"")));
        assertNoSecretInLogs();
    }

    @Test
    public void emptyKeyIsWrittenWithoutKey() throws Exception {
        assertEquals(202, post(request("", ""), null).status());
        assertEquals(202, post(request(null, ""), null).status());
        assertNull(oci.written.get(0).getKey());
        assertNull(oci.written.get(1).getKey());
    }

    @Test
    public void rejectedRequestsWriteNothing() throws Exception {
        expect(post("{not json", null), 400, "MalformedJson", null);
        expect(post("", null), 400, "MalformedJson", null);
        expect(post(request("k", "") + " }x", null), 400, "MalformedJson", null);
        expect(post("[" + request("k", "") + "] [1]", null), 400, "MalformedJson", null);
        expect(post("""
                {"streamKey":"k"}""", null), 400, "MissingField", "streamMessage");
        String authorizationHeaders = """
                "targetRestApiHeaders":[{"key":"Authorization","value":"x"}]""";
        expect(post(request("k", "").replace(CONTENT_TYPE_HEADERS, authorizationHeaders), null), 400,
                "ForbiddenHeader", "streamMessage.targetRestApiHeaders[0].key");
        expect(post(request("k", "").replace(TARGET, "https://evil.example.net/x"), null), 400, "TargetNotAllowed",
                "streamMessage.targetRestApi");
        expect(post(request("k", "").replace(TARGET, "http://orders.example.com/x"), null), 400, "InvalidField",
                "streamMessage.targetRestApi");
        expect(post(request("k".repeat(257), ""), null), 400, "TooLarge", "streamKey");
        expect(post(request("k", member("big", "x".repeat(2000))), null), 400, "TooLarge", "streamMessage");
        expect(post(request("k", secret("bad name")), TOKEN), 400, "InvalidField",
                "streamMessage.vaultSecretName");
        expect(handler.handle("GET", Optional.empty(), new byte[0]), 405, "MethodNotAllowed", null);
        assertEquals(0, oci.written.size());
        assertEquals(0, oci.secrets.size());
    }

    @Test
    public void vaultSecretNameNeedsAuthorization() throws Exception {
        expect(post(request("k", secret("789")), null), 401, "MissingAuthorization",
                "streamMessage.vaultSecretName");
        expect(post(request("k", secret("789")), "  "), 401, "MissingAuthorization",
                "streamMessage.vaultSecretName");
        assertEquals(0, oci.written.size());
    }

    @Test
    public void sameNameWithAnotherTokenIsAConflict() throws Exception {
        assertEquals(202, post(request("k", secret("789")), TOKEN).status());
        assertEquals(202, post(request("k", secret("789")), TOKEN).status());
        expect(post(request("k", secret("789")), "Bearer someone-else"), 409, "TokenMismatch",
                "streamMessage.vaultSecretName");
        assertEquals(2, oci.written.size());
        assertNoSecretInLogs();
    }

    /** Regression (reference): the caller was told "success" when PutMessages failed for its entry. */
    @Test
    public void putMessagesFailureIs503WithRetryAfter() throws Exception {
        oci.putStatus = 500;
        GatewayAnswer r = post(request("k", ""), null);
        expect(r, 503, "ServiceUnavailable", null);
        assertEquals("2", r.headers().get("Retry-After"));
        oci.putStatus = 0;
        oci.failEntryIndex = 0;
        r = post(request("k", ""), null);
        expect(r, 503, "ServiceUnavailable", null);
        assertEquals("2", r.headers().get("Retry-After"));
    }

    @Test
    public void vaultFailureIs503WithRetryAfterAndWritesNothing() throws Exception {
        oci.vaultStatus = 500;
        GatewayAnswer r = post(request("k", secret("789")), TOKEN);
        expect(r, 503, "ServiceUnavailable", null);
        assertEquals("2", r.headers().get("Retry-After"));
        assertEquals(0, oci.written.size());
        assertNoSecretInLogs();
    }

    @Test
    public void arrayBodyIsAnsweredItemByItem() throws Exception {
        String body = "[" + request("a", "") + "," + request("b", "").replace(TARGET, "https://evil.example.net/")
                + "," + request("c", secret("v1")) + "]";
        GatewayAnswer r = post(body, TOKEN);
        assertEquals(207, r.status());
        JsonNode items = json(r);
        assertEquals(3, items.size());
        assertEquals(202, items.get(0).get("status").asInt());
        assertEquals("sync-1", items.get(0).get("syncId").asText());
        assertEquals(400, items.get(1).get("status").asInt());
        assertEquals("TargetNotAllowed", items.get(1).get("code").asText());
        assertEquals("[1].streamMessage.targetRestApi", items.get(1).get("field").asText());
        assertEquals(202, items.get(2).get("status").asInt());
        assertEquals(2, oci.written.size());
        assertEquals("a", new String(oci.written.get(0).getKey(), StandardCharsets.UTF_8));
        assertEquals("c", new String(oci.written.get(1).getKey(), StandardCharsets.UTF_8));
    }

    @Test
    public void arrayBodyAllAcceptedIs202AndPartialWriteFailureIsReportedPerItem() throws Exception {
        GatewayAnswer ok = post("[" + request("a", "") + "," + request("b", "") + "]", null);
        assertEquals(202, ok.status());
        oci.failEntryIndex = 1;
        GatewayAnswer partial = post("[" + request("a", "") + "," + request("b", "") + "]", null);
        assertEquals(207, partial.status());
        assertEquals("2", partial.headers().get("Retry-After"));
        JsonNode items = json(partial);
        assertEquals(202, items.get(0).get("status").asInt());
        assertEquals(503, items.get(1).get("status").asInt());
    }

    @Test
    public void arrayBodyBounds() throws Exception {
        expect(post("[]", null), 400, "InvalidField", null);
        String four = "[" + String.join(",", request("a", ""), request("b", ""), request("c", ""), request("d", ""))
                + "]";
        expect(post(four, null), 400, "TooManyItems", null);
        assertEquals(0, oci.written.size());
    }

    private void assertNoSecretInLogs() {
        for (String line : logLines) {
            assertFalse(line, line.contains("top-secret") || line.contains("someone-else"));
        }
    }

    static void expect(GatewayAnswer r, int status, String code, String field) throws Exception {
        JsonNode body = json(r);
        assertEquals(new String(r.body(), StandardCharsets.UTF_8), status, r.status());
        assertEquals(code, body.get("code").asText());
        assertTrue(body.has("message"));
        assertTrue(body.has("field"));
        assertEquals(field, body.get("field").isNull() ? null : body.get("field").asText());
        assertEquals("application/json", r.headers().get("Content-Type"));
    }
}
