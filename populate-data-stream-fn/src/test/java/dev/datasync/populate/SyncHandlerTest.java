package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.responses.ListSecretsResponse;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.fn.GatewayAnswer;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.SecretQuota;
import dev.datasync.shared.oci.SecretSweeper;
import dev.datasync.shared.oci.SourceRegistry;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.TokenSecretName;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.state.StateObjects;
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
import static dev.datasync.populate.SyncRequests.requestTo;
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
        AtomicInteger ids = new AtomicInteger();
        handler = handler(DataSyncConfig.from(config()), null, JsonLog.to(logLines::add, Clock.systemUTC()),
                Clock.fixed(Instant.parse("2026-11-25T06:00:00.123456Z"), ZoneOffset.UTC),
                () -> "sync-" + ids.incrementAndGet());
    }

    /** A container's handler over {@link #oci}: its Streaming, Vault and source registry; DNS scripted. */
    SyncHandler handler(DataSyncConfig config, SecretSweeper sweeper, JsonLog log, Clock clock,
                        java.util.function.Supplier<String> syncIds) {
        TargetGuard guard = new TargetGuard(config.targets(), host -> List.of(InetAddress.getByName("93.184.216.34")));
        return new SyncHandler(config, guard, new StreamWriter(oci.stream()),
                new TokenVault(oci.vaults(), oci.secretsClient(), config.vault()),
                new SourceRegistry(oci::objectStorage, config.state(), config.targets(), config.sourceDefaults(),
                        clock),
                new SecretQuota(oci::vaults, config.vault(), clock), sweeper, NO_STATE_CALL, log, clock, syncIds);
    }

    /** State objects that fail the test when called: without Idempotency-Key, populate makes no state call. */
    static final StateObjects NO_STATE_CALL = (StateObjects) java.lang.reflect.Proxy.newProxyInstance(
            StateObjects.class.getClassLoader(), new Class<?>[]{StateObjects.class}, (proxy, method, args) -> {
                throw new AssertionError("a state call (" + method.getName() + ") for a request without "
                        + "Idempotency-Key");
            });

    GatewayAnswer post(String body, String authorization) {
        return handler.handle(SyncRequests.call(body, authorization));
    }

    /** The Vault secret of the source's {@code vaultSecretName}. */
    static String vaultName(String secretName) {
        return TokenSecretName.of(SyncRequests.SOURCE, secretName);
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
        assertEquals(TOKEN, new String(Base64.getDecoder().decode(oci.storedContent(vaultName("789"))),
                StandardCharsets.UTF_8));
        assertNoSecretInLogs();
        assertTrue(logLines.stream().anyMatch(l -> l.contains("\"sync.accepted\"") && l.contains("sync-1")));
    }

    /** OCI may keep a deleted secret's name reserved: that is not "another token" (409 TokenMismatch). */
    @Test
    public void aNameVaultStillReservesIs409SecretNameUnavailable() throws Exception {
        oci.reservedNames.add(vaultName("retired-789"));
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
        handler = handler(config, sweeper, log, Clock.systemUTC(), () -> UUID.randomUUID().toString());

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
        expect(handler.handle(new SyncCall("GET", Optional.of("application/json"), Optional.empty(),
                Optional.of(SyncRequests.SOURCE), new byte[0])), 405, "MethodNotAllowed", null);
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
        // every item names a secret: the request's Authorization is for each of them
        String body = "[" + request("a", secret("v0")) + "," + request("b", secret("v0"))
                .replace(TARGET, "https://evil.example.net/") + "," + request("c", secret("v1")) + "]";
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

    // ---- issue 9: the source, its targets and secrets, and bad input ----

    private SyncCall from(Optional<String> sourceId, String contentType, String body, String authorization) {
        return new SyncCall("POST", Optional.ofNullable(contentType), Optional.ofNullable(authorization), sourceId,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private void assertNothingWrittenNoSecretNoRegistry() {
        assertEquals(0, oci.written.size());
        assertEquals(0, oci.secrets.size());
        assertEquals(0, oci.registryCalls.get());
    }

    @Test
    public void withoutAVerifiedSourceIdNothingIsDone() throws Exception {
        for (Optional<String> id : List.of(Optional.<String>empty(), Optional.of(""), Optional.of("Orders"),
                Optional.of("../x"), Optional.of("a".repeat(33)), Optional.of("-x"))) {
            GatewayAnswer r = handler.handle(from(id, "application/json", request("k", secret("789")), TOKEN));
            expect(r, 401, "Unauthorized", "X-DataSync-Source-Id");
        }
        assertNothingWrittenNoSecretNoRegistry();
        assertNoSecretInLogs();
    }

    @Test
    public void onlyJsonIsAcceptedSoNoWebPageCanPostCrossOrigin() throws Exception {
        for (String type : new String[]{null, "", "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonx", "application/json; charset=utf-16",
                "application/json; charset=iso-8859-1"}) {
            expect(handler.handle(from(Optional.of(SyncRequests.SOURCE), type, request("k", ""), null)), 415,
                    "UnsupportedMediaType", "Content-Type");
        }
        assertNothingWrittenNoSecretNoRegistry();
        for (String type : new String[]{"application/json", "Application/JSON", "application/json; charset=UTF-8",
                "application/json;charset=\"utf-8\"", "application/json; foo=bar"}) {
            assertEquals(type, 202, handler.handle(from(Optional.of(SyncRequests.SOURCE), type, request("k", ""),
                    null)).status());
        }
    }

    @Test
    public void theStoredMessageCarriesTheVerifiedSourceAndNoCallerSentPipelineField() throws Exception {
        String forged = member("sourceId", "billing") + member("syncId", "mine") + member("receivedAt", "2020-01-01Z")
                + ",\"deliveryAttempts\":5,\"lastError\":{\"status\":500},\"source\":{\"stream\":\"x\"}";
        assertEquals(202, post(request("k", secret("789") + forged), TOKEN).status());
        JsonNode stored = Json.parse(oci.written.get(0).getValue());
        assertEquals(SyncRequests.SOURCE, stored.get("sourceId").asText());
        assertEquals("sync-1", stored.get("syncId").asText());
        assertEquals("2026-11-25T06:00:00.123Z", stored.get("receivedAt").asText());
        for (String owned : List.of("deliveryAttempts", "lastError", "source")) {
            assertFalse(owned, stored.has(owned));
        }
        assertEquals("the token is kept under the verified source's name", TOKEN, new String(Base64.getDecoder()
                .decode(oci.storedContent(vaultName("789"))), StandardCharsets.UTF_8));
        assertTrue(logLines.stream().anyMatch(l -> l.contains("\"sync.accepted\"")
                && l.contains("\"sourceId\":\"orders-app\"")));
    }

    @Test
    public void twoSourcesUseTheSameNameWithoutMeeting() throws Exception {
        SyncCall billing = new SyncCall("POST", Optional.of("application/json"), Optional.of("Bearer billing-token"),
                Optional.of("billing"), request("k", secret("789")).getBytes(StandardCharsets.UTF_8));
        assertEquals(202, post(request("k", secret("789")), TOKEN).status());
        assertEquals("no TokenMismatch: another source's secret", 202, handler.handle(billing).status());
        assertEquals(TOKEN, new String(Base64.getDecoder().decode(oci.storedContent(vaultName("789"))),
                StandardCharsets.UTF_8));
        assertEquals("Bearer billing-token", new String(Base64.getDecoder().decode(
                oci.storedContent(TokenSecretName.of("billing", "789"))), StandardCharsets.UTF_8));
        assertEquals("billing", Json.parse(oci.written.get(1).getValue()).get("sourceId").asText());
    }

    @Test
    public void authorizationWithoutASecretNameIsRefusedNotDropped() throws Exception {
        expect(post(request("k", ""), TOKEN), 400, "MissingField", "streamMessage.vaultSecretName");
        expect(post(request("k", secret("")), TOKEN), 400, "MissingField", "streamMessage.vaultSecretName");
        GatewayAnswer array = post("[" + request("a", secret("v1")) + "," + request("b", "") + "]", TOKEN);
        assertEquals(207, array.status());
        assertEquals("[1].streamMessage.vaultSecretName", json(array).get(1).get("field").asText());
        assertEquals(1, oci.written.size());
        assertNoSecretInLogs();
    }

    @Test
    public void anAuthorizationThatCannotBeSentAsItIsIsRefused() throws Exception {
        for (String token : new String[]{"Bearer caf\u00e9", "Bearer \u20ac", "Bearer a\u0000b", "Bearer \u00ff"}) {
            expect(post(request("k", secret("789")), token), 400, "InvalidField", "Authorization");
        }
        expect(post(request("k", secret("789")), "Bearer " + "x".repeat(TokenVault.MAX_TOKEN_BASE64_BYTES)), 400,
                "TooLarge", "Authorization");
        assertNothingWrittenNoSecretNoRegistry();
        assertEquals(202, post(request("k", secret("789")), "Bearer ok\ttab ~!").status());
    }

    @Test
    public void aBodyThatIsNotStrictUtf8JsonIsRefused() throws Exception {
        String[] around = request("k", "").split("/api/");
        java.io.ByteArrayOutputStream overlong = new java.io.ByteArrayOutputStream();
        overlong.writeBytes((around[0] + "/api").getBytes(StandardCharsets.UTF_8));
        overlong.writeBytes(new byte[]{(byte) 0xc0, (byte) 0xaf}); // an overlong '/'
        overlong.writeBytes(around[1].getBytes(StandardCharsets.UTF_8));
        for (byte[] body : List.of(overlong.toByteArray(),
                request("k", "").getBytes(java.nio.charset.Charset.forName("UTF-16")),
                request("k", "").getBytes(java.nio.charset.Charset.forName("UTF-32LE")),
                request("k", "").replace("18jan", "\\ud800").getBytes(StandardCharsets.UTF_8))) {
            expect(handler.handle(SyncRequests.call(body, null)), 400, "MalformedJson", null);
        }
        assertNothingWrittenNoSecretNoRegistry();
    }

    @Test
    public void aSourcesAllowlistIsInsideTheGlobalOne() throws Exception {
        oci.sources.put(SyncRequests.SOURCE, "{\"id\":\"orders-app\",\"allowlist\":[\"orders.example.com\","
                + "\"evil.example.net\"]}");
        expect(post(requestTo("https://a.example.org/x", "k", ""), null), 400, "TargetNotAllowed",
                "streamMessage.targetRestApi");
        expect(post(requestTo("https://evil.example.net/x", "k", ""), null), 400, "TargetNotAllowed",
                "streamMessage.targetRestApi");
        assertEquals(202, post(request("k", ""), null).status());
        assertEquals(1, oci.written.size());
        // a source without a registry object: the global list alone
        SyncCall other = new SyncCall("POST", Optional.of("application/json"), Optional.empty(),
                Optional.of("other-app"), requestTo("https://a.example.org/x", "k", "")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(202, handler.handle(other).status());
    }

    @Test
    public void theSourcesPolicyIsReadOncePerContainerNotPerMessage() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(202, post("[" + request("a", "") + "," + request("b", "") + "]", null).status());
        }
        assertEquals("GetNamespace once, GetObject once", 2, oci.registryCalls.get());
    }

    @Test
    public void aRegistryThatCannotBeReadRefusesWithRetryAfterAndWritesNothing() throws Exception {
        oci.registryStatus = 500;
        GatewayAnswer r = post(request("k", secret("789")), TOKEN);
        expect(r, 503, "ServiceUnavailable", null);
        assertEquals("2", r.headers().get("Retry-After"));
        assertEquals(0, oci.written.size());
        assertEquals(0, oci.secrets.size());
    }

    @Test
    public void theSecretCapRefusesTheWholeBodyBeyondItAndCreatesNothing() throws Exception {
        oci.sources.put(SyncRequests.SOURCE, "{\"id\":\"orders-app\",\"maxSecrets\":2}");
        String three = "[" + request("a", secret("n1")) + "," + request("b", secret("n2")) + ","
                + request("c", secret("n3")) + "]";
        GatewayAnswer r = post(three, TOKEN);
        expect(r, 429, "SecretLimitExceeded", "[2].streamMessage.vaultSecretName");
        assertEquals("maxSecrets", json(r).get("limit").asText());
        assertEquals("60", r.headers().get("Retry-After"));
        assertEquals(0, oci.written.size());
        assertEquals(0, oci.secrets.size());

        // the same name twice is one secret
        assertEquals(202, post("[" + request("a", secret("n1")) + "," + request("b", secret("n2")) + ","
                + request("c", secret("n1")) + "]", TOKEN).status());
        assertEquals(2, oci.secrets.size());
        GatewayAnswer third = post(request("k", secret("n3")), TOKEN);
        expect(third, 429, "SecretLimitExceeded", "streamMessage.vaultSecretName");
        assertEquals("maxSecrets", json(third).get("limit").asText());
        assertEquals("names the source owns already are within the cap", 202,
                post(request("k", secret("n2")), TOKEN).status());
        assertEquals(2, oci.secrets.size());
        assertEquals(4, oci.written.size());
        assertNoSecretInLogs();
    }

    @Test
    public void theDefaultCapAppliesToASourceWithoutAnObject() throws Exception {
        Map<String, String> m = config();
        m.put("source_default_max_secrets", "1");
        handler = handler(DataSyncConfig.from(m), null, JsonLog.to(logLines::add, Clock.systemUTC()),
                Clock.systemUTC(), () -> UUID.randomUUID().toString());
        assertEquals(202, post(request("k", secret("d1")), TOKEN).status());
        expect(post(request("k", secret("d2")), TOKEN), 429, "SecretLimitExceeded", "streamMessage.vaultSecretName");
        assertEquals(1, oci.secrets.size());
    }
}
