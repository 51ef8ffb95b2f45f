package dev.datasync.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.fnhost.FunctionRequest;
import dev.datasync.local.fnhost.FunctionResponse;
import dev.datasync.local.identity.TestSources;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.fn.FnHttpGateway;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * The gateway's credential checks with a recording function behind each route: every hostile request is refused
 * before the function is called, with the contract's JSON; an admitted one reaches it with the verified source id
 * (never the caller's) and without the credential.
 */
public class SourceGuardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "the-admin-token-1234567890";
    private static final TestSources SOURCES = TestSources.fresh();
    private static final String GOOD = SOURCES.add("orders-app");
    private static final List<FunctionRequest> syncCalls = new CopyOnWriteArrayList<>();
    private static final List<FunctionRequest> retryCalls = new CopyOnWriteArrayList<>();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static GatewayServer gateway;

    @BeforeClass
    public static void start() throws Exception {
        gateway = GatewayServer.start(0, List.of(
                new GatewayRoute("POST", "/stream/sync", recording(syncCalls, "202"),
                        new SourceCredentialGuard(SOURCES.verifier(), ADMIN)),
                new GatewayRoute("POST", "/stream/retry", recording(retryCalls, "200"),
                        new AdminCredentialGuard(ADMIN))), 1 << 20, 8, () -> GatewayHealth.READY);
    }

    private static dev.datasync.local.fnhost.FunctionInvoker recording(List<FunctionRequest> calls, String status) {
        return req -> {
            calls.add(req);
            return new FunctionResponse(200, Map.of(FnHttpGateway.STATUS, List.of(status)), "application/json",
                    "{}".getBytes());
        };
    }

    @AfterClass
    public static void stop() {
        gateway.close();
    }

    @Before
    public void reset() {
        syncCalls.clear();
        retryCalls.clear();
    }

    private static HttpResponse<String> post(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A 401 of the contract: JSON code Unauthorized, the header at fault, a reason starting with {@code why}. */
    private static void assertUnauthorized(HttpResponse<String> r, String field, String why, String presented)
            throws Exception {
        assertEquals(r.body(), 401, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
        JsonNode n = JSON.readTree(r.body());
        assertEquals("Unauthorized", n.get("code").asText());
        assertEquals(field, n.get("field").asText());
        assertTrue(r.body(), n.get("message").asText().startsWith(why));
        if (presented != null) {
            assertFalse("the credential is never echoed", r.body().contains(presented));
            assertFalse(r.headers().map().toString().contains(presented));
        }
    }

    @Test
    public void syncWithoutAValidSourceCredentialIsRefusedBeforeTheFunction() throws Exception {
        assertUnauthorized(post("/stream/sync"), SourceHeaders.SOURCE_TOKEN, "missing", null);
        assertUnauthorized(post("/stream/sync", "Authorization", "Bearer " + GOOD), SourceHeaders.SOURCE_TOKEN,
                "missing", null); // the target's header is no source credential
        assertUnauthorized(post("/stream/sync", SourceHeaders.SOURCE_TOKEN, "Bearer x.y.z"),
                SourceHeaders.SOURCE_TOKEN, "malformed", null);
        String forged = TestSources.forged("orders-app");
        assertUnauthorized(post("/stream/sync", SourceHeaders.SOURCE_TOKEN, "Bearer " + forged),
                SourceHeaders.SOURCE_TOKEN, "bad signature", forged);
        TestSources other = TestSources.fresh();
        other.add("expiring-app");
        String expired = other.expired("expiring-app");
        assertUnauthorized(post("/stream/sync", SourceHeaders.SOURCE_TOKEN, expired), SourceHeaders.SOURCE_TOKEN,
                "bad signature", expired); // another provider's: the signature is checked first
        SOURCES.add("short-lived");
        String mineExpired = SOURCES.expired("short-lived");
        assertUnauthorized(post("/stream/sync", SourceHeaders.SOURCE_TOKEN, "Bearer " + mineExpired),
                SourceHeaders.SOURCE_TOKEN, "expired", mineExpired);
        assertTrue("no function was called", syncCalls.isEmpty());
    }

    @Test
    public void theAdminCredentialIsNoSourceCredential() throws Exception {
        for (String value : List.of(ADMIN, "Bearer " + ADMIN)) {
            assertUnauthorized(post("/stream/sync", SourceHeaders.SOURCE_TOKEN, value), SourceHeaders.SOURCE_TOKEN,
                    "wrong audience", ADMIN);
        }
        assertTrue(syncCalls.isEmpty());
    }

    @Test
    public void aSourceCredentialIsNoAdminCredential() throws Exception {
        assertUnauthorized(post("/stream/retry", SourceHeaders.SOURCE_TOKEN, "Bearer " + GOOD),
                SourceHeaders.ADMIN_TOKEN, "a source credential is not accepted", GOOD);
        assertUnauthorized(post("/stream/retry", SourceHeaders.ADMIN_TOKEN, "Bearer " + GOOD),
                SourceHeaders.ADMIN_TOKEN, "the admin token is not valid", GOOD);
        assertUnauthorized(post("/stream/retry", "Authorization", "Bearer " + GOOD),
                SourceHeaders.ADMIN_TOKEN, "the admin token is not valid", GOOD);
        assertTrue(retryCalls.isEmpty());
        assertEquals(200, post("/stream/retry", SourceHeaders.ADMIN_TOKEN, "Bearer " + ADMIN).statusCode());
        assertEquals(200, post("/stream/retry", SourceHeaders.ADMIN_TOKEN, ADMIN).statusCode());
        assertEquals(2, retryCalls.size());
    }

    @Test
    public void theFunctionSeesTheVerifiedSourceIdNeverTheCallersAndNoCredential() throws Exception {
        HttpResponse<String> r = post("/stream/sync", SourceHeaders.SOURCE_TOKEN, "Bearer " + GOOD,
                "X-DataSync-Source-Id", "someone-else", "x-datasync-source-id", "admin",
                "Authorization", "Bearer target-token");
        assertEquals(r.body(), 202, r.statusCode());
        assertEquals(1, syncCalls.size());
        Map<String, List<String>> seen = syncCalls.get(0).headers();
        List<String> sourceIds = new ArrayList<>();
        seen.forEach((k, v) -> {
            if (k.equalsIgnoreCase(FnHttpGateway.header(SourceHeaders.SOURCE_ID))) {
                sourceIds.addAll(v);
            }
        });
        assertEquals(List.of("orders-app"), sourceIds);
        assertTrue(seen.keySet().toString(), seen.keySet().stream()
                .noneMatch(k -> k.equalsIgnoreCase(FnHttpGateway.header(SourceHeaders.SOURCE_TOKEN))));
        assertFalse(seen.toString().contains(GOOD));
        assertEquals(List.of("Bearer target-token"), seen.get(FnHttpGateway.header("Authorization")));

        // without the Bearer scheme too
        assertEquals(202, post("/stream/sync", SourceHeaders.SOURCE_TOKEN, GOOD).statusCode());
    }

    @Test
    public void aRetryCallerCannotHandTheFunctionASourceId() throws Exception {
        assertEquals(200, post("/stream/retry", SourceHeaders.ADMIN_TOKEN, "Bearer " + ADMIN,
                "X-DataSync-Source-Id", "orders-app").statusCode());
        assertTrue(retryCalls.get(0).headers().keySet().stream()
                .noneMatch(k -> k.toLowerCase().contains("source-id")));
    }

    @Test
    public void beyondItsRateASourceGets429WithRetryAfterAndTheFunctionIsNotCalled() throws Exception {
        String slow = SOURCES.add("slow-app", 2);
        Thread.sleep(1_100); // the verifier's view of sources.json catches up
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(post("/stream/sync", SourceHeaders.SOURCE_TOKEN, "Bearer " + slow));
        }
        List<HttpResponse<String>> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
        long admitted = answers.stream().filter(r -> r.statusCode() == 202).count();
        assertFalse("some refused: " + answers.stream().map(HttpResponse::statusCode).toList(), limited.isEmpty());
        assertEquals(6, admitted + limited.size());
        assertTrue("at most 2 per second got through, 6 sent within ~1 s: " + admitted, admitted <= 4);
        assertEquals("refused ones never reach the function", admitted, syncCalls.size());
        HttpResponse<String> r = limited.get(0);
        long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("the window is one second", 1, retryAfter);
        JsonNode n = JSON.readTree(r.body());
        assertEquals("RateLimitExceeded", n.get("code").asText());
        assertTrue(n.get("field").isNull());
        assertEquals("ratePerSecond", n.get("limit").asText());
        assertFalse(r.body().contains(slow));
        Thread.sleep(retryAfter * 1_000);
        assertEquals(202, post("/stream/sync", SourceHeaders.SOURCE_TOKEN, "Bearer " + slow).statusCode());
        // another source is not limited by this one's rate
        assertEquals(202, post("/stream/sync", SourceHeaders.SOURCE_TOKEN, "Bearer " + GOOD).statusCode());
    }
}
