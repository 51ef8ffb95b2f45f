package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.local.RunningStack;
import dev.datasync.local.StackProbe;
import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.local.stack.Topology;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * What a source owns, end to end through the local gateway, the real functions and local-oci — the function side
 * of issue 9 (populate, read and retry read the verified source id, the source's policy from the state bucket and
 * keep each source's secrets apart): two sources with the same vaultSecretName each get their own token delivered;
 * another source's secret name never sends its token; a target outside the source's allow-list, the stack's own
 * listeners, a request beyond the source's secret cap and Authorization without vaultSecretName are refused with
 * nothing written; the stored message carries the verified source id, never the caller's.
 */
public class SourceIsolationEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningStack running;
    private static PipelineStack stack;
    private static StackProbe probe;
    private static SampleTarget target;
    private static String alpha;
    private static String beta;

    @BeforeClass
    public static void start() throws Exception {
        running = RunningStack.start(Map.of(), settings -> settings);
        stack = running.stack();
        target = running.target();
        probe = new StackProbe(stack);
        alpha = probe.addSource("alpha");
        beta = probe.addSource("beta");
        Thread.sleep(1_200); // the running gateway's view of sources.json catches up
    }

    @AfterClass
    public static void stop() {
        if (probe != null) {
            probe.close();
        }
        if (running != null) {
            running.close();
        }
    }

    private record Written(long messages, int secrets) {
    }

    private static Written written() {
        return new Written(probe.dataStreamMessages(), probe.secrets());
    }

    private static List<SampleTarget.Received> receivedAt(String path) {
        return target.received().stream().filter(r -> r.path().equals(path)).toList();
    }

    private static void awaitDelivered(String path) throws InterruptedException {
        long until = System.currentTimeMillis() + 30_000;
        while (receivedAt(path).stream().noneMatch(SampleTarget.Received::succeeded)
                && System.currentTimeMillis() < until) {
            Thread.sleep(100);
        }
        assertFalse(path + " delivered", receivedAt(path).isEmpty());
    }

    private static void assertRefused(HttpResponse<String> r, int status, String code, String field)
            throws Exception {
        assertEquals(r.body(), status, r.statusCode());
        JsonNode n = JSON.readTree(r.body());
        assertEquals(r.body(), code, n.get("code").asText());
        assertTrue(r.body(), n.get("field").asText().endsWith(field));
    }

    @Test
    public void twoSourcesWithTheSameSecretNameEachGetTheirOwnTokenDelivered() throws Exception {
        HttpResponse<String> a = probe.syncAs(alpha, StackProbe.body("same-a", "shared-name",
                target.baseUrl() + "/orders/alpha"), "alpha-token");
        HttpResponse<String> b = probe.syncAs(beta, StackProbe.body("same-b", "shared-name",
                target.baseUrl() + "/orders/beta"), "beta-token");
        assertEquals(a.body(), 202, a.statusCode());
        assertEquals("the same name in another source is no conflict: " + b.body(), 202, b.statusCode());
        awaitDelivered("/orders/alpha");
        awaitDelivered("/orders/beta");
        assertTrue(receivedAt("/orders/alpha").stream().allMatch(r -> "Bearer alpha-token".equals(r.authorization())));
        assertTrue(receivedAt("/orders/beta").stream().allMatch(r -> "Bearer beta-token".equals(r.authorization())));
    }

    @Test
    public void anotherSourcesSecretNameNeverSendsItsToken() throws Exception {
        assertEquals(202, probe.syncAs(alpha, StackProbe.body("owned-a", "alpha-only",
                target.baseUrl() + "/orders/owned-a"), "alpha-private-token").statusCode());
        awaitDelivered("/orders/owned-a");
        // beta names alpha's secret without a token of its own: whatever it is answered, alpha's token goes nowhere
        HttpResponse<String> r = probe.sync(StackProbe.body("owned-b", "alpha-only",
                target.baseUrl() + "/orders/owned-b"), SourceHeaders.SOURCE_TOKEN, "Bearer " + beta);
        if (r.statusCode() == 202) {
            Thread.sleep(3_000);
        }
        assertTrue(receivedAt("/orders/owned-b").stream()
                .noneMatch(x -> "Bearer alpha-private-token".equals(x.authorization())));
        // with a token of its own, the name is beta's own secret: accepted, and beta's token is what is sent
        HttpResponse<String> own = probe.syncAs(beta, StackProbe.body("owned-b2", "alpha-only",
                target.baseUrl() + "/orders/owned-b2"), "beta-own-token");
        assertEquals(own.body(), 202, own.statusCode());
        awaitDelivered("/orders/owned-b2");
        assertTrue(receivedAt("/orders/owned-b2").stream()
                .allMatch(x -> "Bearer beta-own-token".equals(x.authorization())));
        assertTrue(receivedAt("/orders/owned-a").stream()
                .allMatch(x -> "Bearer alpha-private-token".equals(x.authorization())));
    }

    @Test
    public void aTargetOutsideTheSourcesAllowListIsRefusedAndNothingWritten() throws Exception {
        String narrow = probe.addSource("narrow", "--allow", "orders.example.com");
        Thread.sleep(1_200);
        Written before = written();
        assertRefused(probe.syncAs(narrow, StackProbe.body("narrow-1", "narrow-secret",
                target.baseUrl() + "/orders/narrow"), "narrow-token"), 400, "TargetNotAllowed",
                "streamMessage.targetRestApi");
        assertEquals(before, written());
        assertTrue(receivedAt("/orders/narrow").isEmpty());
    }

    @Test
    public void theStacksOwnListenersAreNoTargets() throws Exception {
        Written before = written();
        for (String self : List.of(stack.gatewayUrl() + "/stream/sync", stack.ociUrl() + "/_admin/faults",
                stack.gatewayUrl().replace("127.0.0.1", "localhost") + "/health")) {
            assertRefused(probe.syncAs(alpha, StackProbe.body("self", "self-secret", self), "self-token"), 400,
                    "TargetNotAllowed", "streamMessage.targetRestApi");
        }
        assertEquals(before, written());
    }

    @Test
    public void beyondItsSecretCapASourceIsRefusedForTheWholeArray() throws Exception {
        String capped = probe.addSource("capped", "--max-secrets", "2");
        Thread.sleep(1_200);
        Written before = written();
        String body = "[" + StackProbe.body("cap-1", "cap-one", target.baseUrl() + "/orders/cap") + ","
                + StackProbe.body("cap-2", "cap-two", target.baseUrl() + "/orders/cap") + ","
                + StackProbe.body("cap-3", "cap-three", target.baseUrl() + "/orders/cap") + "]";
        HttpResponse<String> r = probe.syncAs(capped, body, "capped-token");
        assertRefused(r, 429, "SecretLimitExceeded", "streamMessage.vaultSecretName");
        assertEquals("maxSecrets", JSON.readTree(r.body()).get("limit").asText());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
        assertEquals("nothing of the array written", before, written());
    }

    @Test
    public void authorizationWithoutAVaultSecretNameIsRefused() throws Exception {
        Written before = written();
        String body = "{\"streamKey\":\"no-name\",\"streamMessage\":{\"targetRestApi\":\"" + target.baseUrl()
                + "/orders/no-name\",\"targetRestApiOperation\":\"POST\",\"targetRestApiPayload\":{},"
                + "\"targetRestApiHeaders\":[]}}";
        assertRefused(probe.syncAs(alpha, body, "lonely-token"), 400, "MissingField",
                "streamMessage.vaultSecretName");
        assertEquals(before, written());
    }

    @Test
    public void aBodyThatIsNotJsonByItsContentTypeIsRefused() throws Exception {
        Written before = written();
        HttpResponse<String> r = probe.sync(StackProbe.body("text", "text-secret", target.baseUrl() + "/orders/t"),
                SourceHeaders.SOURCE_TOKEN, "Bearer " + alpha, "Content-Type", "text/plain");
        assertEquals(r.body(), 415, r.statusCode());
        assertEquals("UnsupportedMediaType", JSON.readTree(r.body()).get("code").asText());
        assertEquals(before, written());
    }

    @Test
    public void theStoredMessageCarriesTheVerifiedSourceIdNeverTheCallers() throws Exception {
        HttpResponse<String> r = probe.sync(StackProbe.body("forged-id", "forged-secret",
                target.baseUrl() + "/orders/forged"), SourceHeaders.SOURCE_TOKEN, "Bearer " + beta,
                SourceHeaders.SOURCE_ID, "alpha", "Authorization", "Bearer forged-token");
        assertEquals(r.body(), 202, r.statusCode());
        JsonNode accepted = JSON.readTree(r.body());
        StreamInspector inspector = new StreamInspector(stack.clients().streamAdmin(), stack.clients().stream());
        String dataStream = JSON.readTree(stack.dataDir().resolve("oci/resources.json").toFile()).get("streams")
                .get(Topology.DATA_STREAM).asText();
        Message stored = inspector.read(dataStream, accepted.get("partition").asText(),
                accepted.get("offset").asLong(), 1).get(0);
        JsonNode value = JSON.readTree(new String(stored.getValue(), StandardCharsets.UTF_8));
        assertEquals(accepted.get("syncId").asText(), value.get("syncId").asText());
        assertEquals("beta", value.get("sourceId").asText());
    }
}
