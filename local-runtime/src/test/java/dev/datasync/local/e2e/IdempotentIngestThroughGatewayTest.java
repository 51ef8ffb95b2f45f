package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.StackProbe;
import dev.datasync.local.StackUnderTest;
import dev.datasync.shared.contract.IdempotencyHeaders;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.net.http.HttpResponse;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/**
 * Idempotent ingest through the whole local stack (gateway, populate, local-oci): the gateway passes
 * {@code Idempotency-Key} in and {@code Idempotent-Replayed} out; a resend with the same body is answered the first
 * answer and leaves DataSyncStream as it was; another body is 409; another source's key is its own.
 */
public class IdempotentIngestThroughGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @ClassRule
    public static final StackUnderTest STACK = new StackUnderTest();
    private static StackProbe probe;
    private static String local;
    private static String other;
    private static String target;

    @BeforeClass
    public static void start() throws Exception {
        probe = STACK.probe();
        local = STACK.stack().sourceToken().orElseThrow();
        other = probe.addSource("idem-other");
        Thread.sleep(1_200); // the running gateway's view of sources.json catches up
        target = STACK.running().target().baseUrl() + "/orders/idempotent";
    }

    private static HttpResponse<String> sync(String credential, String body, String key) throws Exception {
        return probe.sync(body, SourceHeaders.SOURCE_TOKEN, "Bearer " + credential, "Authorization",
                "Bearer idem-token", IdempotencyHeaders.KEY, key);
    }

    private static String syncId(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("syncId").asText();
    }

    @Test
    public void aResendIsAnsweredAgainAndWritesNothing() throws Exception {
        String body = StackProbe.body("idem-1", "idem-secret", target);
        HttpResponse<String> first = sync(local, body, "gw-order-1");
        assertEquals(first.body(), 202, first.statusCode());
        assertTrue(first.headers().firstValue(IdempotencyHeaders.REPLAYED).isEmpty());
        long messages = probe.dataStreamMessages();

        HttpResponse<String> again = sync(local, body, "gw-order-1");
        assertEquals(again.body(), 202, again.statusCode());
        assertEquals("the first answer", first.body(), again.body());
        assertEquals("true", again.headers().firstValue(IdempotencyHeaders.REPLAYED).orElse(""));
        assertEquals("nothing written", messages, probe.dataStreamMessages());

        HttpResponse<String> otherBody = sync(local, StackProbe.body("idem-2", "idem-secret", target), "gw-order-1");
        assertEquals(otherBody.body(), 409, otherBody.statusCode());
        JsonNode error = JSON.readTree(otherBody.body());
        assertEquals("IdempotencyKeyReuse", error.get("code").asText());
        assertEquals(IdempotencyHeaders.KEY, error.get("field").asText());
        assertEquals(messages, probe.dataStreamMessages());

        HttpResponse<String> otherSource = sync(other, body, "gw-order-1");
        assertEquals(otherSource.body(), 202, otherSource.statusCode());
        assertTrue(otherSource.headers().firstValue(IdempotencyHeaders.REPLAYED).isEmpty());
        assertNotEquals(syncId(first), syncId(otherSource));
        assertEquals(messages + 1, probe.dataStreamMessages());
    }

    @Test
    public void aBadKeyIs400NamingTheHeader() throws Exception {
        long messages = probe.dataStreamMessages();
        int secrets = probe.secrets();
        HttpResponse<String> r = sync(local, StackProbe.body("idem-bad", "idem-secret", target),
                "k".repeat(IdempotencyHeaders.MAX_KEY_LENGTH + 1));
        assertEquals(r.body(), 400, r.statusCode());
        assertEquals(IdempotencyHeaders.KEY, JSON.readTree(r.body()).get("field").asText());
        assertEquals(messages, probe.dataStreamMessages());
        assertEquals(secrets, probe.secrets());
    }
}
