package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.RunningStack;
import dev.datasync.local.StackProbe;
import dev.datasync.local.StackUnderTest;
import dev.datasync.local.identity.SourceTokenFile;
import dev.datasync.local.identity.TestSources;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.localoci.auth.AdminSecret;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.contract.SourcePolicy;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Hostile callers against the whole local stack (real gateway, functions, local-oci): every request without a
 * valid source credential, or beyond its source's rate, is refused at the gateway — no message written to
 * DataSyncStream, no secret created in Vault, no target called. Sources added and revoked with
 * {@code ./datasync sources} apply to the running stack; the default source {@code local} and its credential file.
 */
public class HostileIngestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @ClassRule
    public static final StackUnderTest STACK = new StackUnderTest();
    private static RunningStack running;
    private static PipelineStack stack;
    private static StackProbe probe;
    private static String target;

    @BeforeClass
    public static void start() {
        running = STACK.running();
        stack = STACK.stack();
        probe = STACK.probe();
        target = running.target().baseUrl() + "/orders/hostile";
    }


    private static void assertRefused(HttpResponse<String> r, int status, String code, String field, String why,
                                      String credential) throws Exception {
        assertEquals(r.body(), status, r.statusCode());
        JsonNode n = JSON.readTree(r.body());
        assertEquals(r.body(), code, n.get("code").asText());
        assertEquals(r.body(), field, n.get("field").isNull() ? null : n.get("field").asText());
        assertTrue(r.body(), n.get("message").asText().startsWith(why));
        if (credential != null) {
            assertFalse("the credential is never echoed", r.body().contains(credential));
        }
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) throws InterruptedException {
        long until = System.currentTimeMillis() + 5_000;
        while (!condition.get()) {
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    public void requestsWithoutAValidSourceCredentialWriteNothingAndCallNoTarget() throws Exception {
        TestSources sources = TestSources.on(stack.dataDir());
        sources.add("expiring-app");
        String expired = sources.expired("expiring-app");
        String revoked = probe.addSource("revoked-app");
        probe.cli("sources", "revoke", "revoked-app");
        String forged = TestSources.forged("local");
        Thread.sleep(1_200); // the running gateway's view of sources.json catches up (at most one stat a second)

        StackUnderTest.Written before = STACK.written();
        String body = StackProbe.body("hostile-1", "hostile-secret", target);
        assertRefused(probe.sync(body, "Authorization", "Bearer target-token"), 401, "Unauthorized",
                SourceHeaders.SOURCE_TOKEN, "missing", null);
        assertRefused(probe.syncAs("abc.def.ghi", body, "target-token"), 401, "Unauthorized",
                SourceHeaders.SOURCE_TOKEN, "malformed", null);
        assertRefused(probe.syncAs(forged, body, "target-token"), 401, "Unauthorized",
                SourceHeaders.SOURCE_TOKEN, "bad signature", forged);
        assertRefused(probe.syncAs(expired, body, "target-token"), 401, "Unauthorized",
                SourceHeaders.SOURCE_TOKEN, "expired", expired);
        assertRefused(probe.syncAs(revoked, body, "target-token"), 401, "Unauthorized",
                SourceHeaders.SOURCE_TOKEN, "revoked", revoked);
        assertRefused(probe.syncAs(stack.adminToken(), body, "target-token"), 401, "Unauthorized",
                SourceHeaders.SOURCE_TOKEN, "wrong audience", stack.adminToken());
        assertRefused(probe.sync(body, SourceHeaders.SOURCE_TOKEN, stack.adminToken()), 401, "Unauthorized",
                SourceHeaders.SOURCE_TOKEN, "wrong audience", stack.adminToken());
        Thread.sleep(1_500); // a message wrongly accepted would be delivered by now
        assertEquals("nothing written, nothing called", before, STACK.written());
    }

    @Test
    public void aSourceCredentialIsRefusedOnRetry() throws Exception {
        String credential = stack.sourceToken().orElseThrow();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stack.gatewayUrl() + "/stream/retry")).header(SourceHeaders.SOURCE_TOKEN,
                "Bearer " + credential).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"streamOCIDToRetry\":\"" + stack.errorStreams().get(0)
                        .ocid() + "\",\"noOfMessagesToProcess\":1,\"readAfterOffset\":-1,\"readPartition\":\"0\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(r, 401, "Unauthorized", SourceHeaders.ADMIN_TOKEN, "a source credential is not accepted",
                credential);
    }

    @Test
    public void beyondItsRateASourceGets429AndOnlyWhatWasAdmittedIsWritten() throws Exception {
        String credential = probe.addSource("rate-app", "--rate", "2");
        Thread.sleep(1_200);
        long before = probe.dataStreamMessages();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(probe.syncAs(credential, StackProbe.body("rate-" + i, "rate-secret", target), "rate-token"));
        }
        long accepted = answers.stream().filter(r -> r.statusCode() == 202).count();
        List<HttpResponse<String>> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertFalse(answers.stream().map(HttpResponse::statusCode).toList().toString(), limited.isEmpty());
        assertEquals(8, accepted + limited.size());
        assertRefused(limited.get(0), 429, "RateLimitExceeded", null, "source rate-app is limited to 2", null);
        assertEquals("1", limited.get(0).headers().firstValue("Retry-After").orElse(null));
        assertEquals("ratePerSecond", JSON.readTree(limited.get(0).body()).get("limit").asText());
        assertEquals("only admitted requests were written", before + accepted, probe.dataStreamMessages());
    }

    @Test
    public void sourcesAddedAndRevokedWithTheCliApplyToTheRunningStack() throws Exception {
        String credential = probe.addSource("orders-app", "--allow", "127.0.0.1,orders.example.com", "--rate", "50",
                "--max-secrets", "7");
        assertEquals(new SourcePolicy("orders-app", List.of("127.0.0.1", "orders.example.com"), 50, 7),
                probe.policies().get("orders-app").orElseThrow());
        String body = StackProbe.body("orders-1", "orders-secret", target);
        awaitTrue(() -> call(() -> probe.syncAs(credential, body, "orders-token").statusCode()) == 202,
                "the new source admitted");

        String list = probe.cli("sources", "list", "--json");
        JsonNode listed = JSON.readTree(list);
        assertTrue(list, list.contains("\"orders-app\""));
        assertFalse("list never shows a credential", list.contains(credential) || list.contains("eyJ"));
        listed.forEach(s -> assertFalse(s.toString(), s.has("credential")));

        JsonNode revoked = JSON.readTree(probe.cli("sources", "revoke", "orders-app", "--json"));
        assertTrue(revoked.get("revoked").asBoolean());
        awaitTrue(() -> call(() -> probe.syncAs(credential, body, "orders-token").statusCode()) == 401,
                "the revoked source refused");
        String text = probe.cli("sources", "list");
        assertTrue(text, text.lines().anyMatch(l -> l.startsWith("orders-app") && l.contains("revoked")));
    }

    @Test
    public void theDefaultSourceIsLocalWithItsOwnerOnlyCredentialFile() throws Exception {
        String inFile = SourceTokenFile.read(stack.dataDir()).orElseThrow();
        assertEquals(stack.sourceToken().orElseThrow(), inFile);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                SourceTokenFile.of(stack.dataDir()))));
        assertEquals(new SourcePolicy("local", List.of(), 100, 100), probe.policies().get("local").orElseThrow());
        assertEquals(202, probe.syncAs(inFile, StackProbe.body("local-1", "local-secret", target), "local-token")
                .statusCode());
    }

    @Test
    public void aRequestAimedAtTheStacksOwnLocalOciIsRefusedAndItsAdminEndpointNeedsTheSecret() throws Exception {
        // the hostile finding: a sync request whose target was the stack's own local-oci /_admin/faults, delivered
        String faults = stack.ociUrl() + "/_admin/faults";
        String body = "{\"streamKey\":\"ssrf\",\"streamMessage\":{\"vaultSecretName\":\"ssrf\",\"targetRestApi\":\""
                + faults + "\",\"targetRestApiOperation\":\"PUT\",\"targetRestApiPayload\":{\"*\":{\"errorRate\":1,"
                + "\"status\":503}},\"targetRestApiHeaders\":[]}}";
        StackUnderTest.Written before = STACK.written();
        assertRefused(probe.syncAs(stack.sourceToken().orElseThrow(), body, "ssrf-token"), 400, "TargetNotAllowed",
                "streamMessage.targetRestApi", "", null);
        assertEquals("nothing written", before, STACK.written());
        // and were it reached, its admin endpoints ask for the secret in local-oci's data dir, loopback or not
        HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(faults))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"*\":{\"errorRate\":1}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, direct.statusCode());
        assertEquals("local-oci's fault rules are untouched", 0, probe.ociFaults().size());
        assertFalse(direct.body().contains(Files.readString(stack.dataDir().resolve("oci")
                .resolve(AdminSecret.FILE_NAME)).trim()));
    }

    private interface Call<T> {
        T get() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
