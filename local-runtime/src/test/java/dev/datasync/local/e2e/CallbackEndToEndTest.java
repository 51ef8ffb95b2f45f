package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import dev.datasync.local.RunningStack;
import dev.datasync.local.StackProbe;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * Outcome callbacks ({@code streamMessage.callbackUrl}) end to end through the local gateway, the real functions,
 * local-oci and the redrive timer (DATASYNC_REDRIVE_SCHEDULE=1s: one redrive, then the DeadLetterStream): a delivered
 * message of a signing source is called back with a body the independent Standard Webhooks verifier accepts
 * ({@code webhook-id} = {@code <syncId>.callback}); a message its target refuses (400) is called back as
 * {@code unrecoverable} and one its target keeps failing (503) as {@code deadLettered}, each with its attempts and
 * lastError; a callback endpoint that always fails (500) leaves its message delivered once and gets at most the
 * bounded attempts. A callbackUrl that is not a URL, or outside the source's allow-list, is 400 naming the field.
 */
public class CallbackEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningStack running;
    private static PipelineStack stack;
    private static StackProbe probe;
    private static SampleTarget target;
    private static SampleTarget failing;
    private static SampleTarget receiver;
    private static String credential;

    @BeforeClass
    public static void start() throws Exception {
        running = RunningStack.start(Map.of("DATASYNC_REDRIVE_SCHEDULE", "1s",
                "DATASYNC_REDRIVE_MAX_AGE", "10m"), settings -> settings);
        stack = running.stack();
        target = running.target();
        failing = SampleTarget.start(0); // its 503s and its breaker are its own
        receiver = SampleTarget.start(0); // the callback endpoint: /orders/status/500 always fails
        probe = new StackProbe(stack);
        credential = stack.sourceToken().orElseThrow();
    }

    @AfterClass
    public static void stop() {
        for (AutoCloseable c : new AutoCloseable[]{receiver, failing, probe, running}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
    }

    private static HttpResponse<String> send(String as, String key, String targetUrl, String callbackUrl)
            throws Exception {
        String body = "{\"streamKey\":\"" + key + "\",\"streamMessage\":{\"targetRestApi\":\"" + targetUrl
                + "\",\"targetRestApiOperation\":\"POST\",\"targetRestApiPayload\":{\"order\":\"" + key + "\"},"
                + "\"callbackUrl\":" + JSON.writeValueAsString(callbackUrl) + "}}";
        return probe.sync(body, SourceHeaders.SOURCE_TOKEN, "Bearer " + as);
    }

    private static String accepted(HttpResponse<String> r) throws Exception {
        assertEquals(r.body(), 202, r.statusCode());
        return JSON.readTree(r.body()).get("syncId").asText();
    }

    private static List<SampleTarget.Received> callbacks(String syncId) {
        return receiver.received().stream().filter(x -> (syncId + ".callback").equals(x.idempotencyKey())).toList();
    }

    private static SampleTarget.Received awaitCallback(String syncId) throws InterruptedException {
        long until = System.currentTimeMillis() + 60_000;
        while (callbacks(syncId).isEmpty()) {
            if (System.currentTimeMillis() > until) {
                fail("no callback for " + syncId + " within 60 s");
            }
            Thread.sleep(100);
        }
        return callbacks(syncId).get(0);
    }

    private static void assertRefused(HttpResponse<String> r, String code) throws Exception {
        assertEquals(r.body(), 400, r.statusCode());
        JsonNode error = JSON.readTree(r.body());
        assertEquals(r.body(), "streamMessage.callbackUrl", error.get("field").asText());
        assertEquals(r.body(), code, error.get("code").asText());
    }

    @Test
    public void aDeliveredMessageOfASigningSourceIsCalledBackSigned() throws Exception {
        JsonNode added = JSON.readTree(probe.cli("sources", "add", "cb-signer", "--sign", "--json"));
        String signer = added.get("credential").asText();
        String secret = added.get("signingSecret").asText();
        Thread.sleep(1_200); // the running gateway's view of sources.json catches up

        String syncId = accepted(send(signer, "cb-1", target.baseUrl() + "/cb/delivered",
                receiver.baseUrl() + "/cb/ok"));
        SampleTarget.Received cb = awaitCallback(syncId);
        assertEquals("POST", cb.method());
        assertEquals("/cb/ok", cb.path());
        JsonNode body = JSON.readTree(cb.body());
        assertEquals(syncId, body.get("syncId").asText());
        assertEquals("delivered", body.get("outcome").asText());
        assertTrue(body.toString(), body.get("lastError").isNull());
        assertEquals(body.toString(), 1, body.get("attempts").size());
        assertEquals(200, body.get("attempts").get(0).get("status").asInt());
        Instant.parse(body.get("at").asText());
        assertEquals(syncId + ".callback", cb.webhook().get("webhook-id"));
        Map<String, List<String>> headers = new TreeMap<>();
        cb.webhook().forEach((k, v) -> headers.put(k, List.of(v)));
        new Webhook(secret).verify(cb.body(), headers); // throws when the signature does not verify
        assertTrue("the message itself was delivered", target.received().stream()
                .anyMatch(x -> syncId.equals(x.idempotencyKey()) && x.succeeded()));
    }

    @Test
    public void refusedAndDeadLetteredMessagesAreCalledBackWithTheirLastError() throws Exception {
        String refused = accepted(send(credential, "cb-2", failing.baseUrl() + "/orders/status/400",
                receiver.baseUrl() + "/cb/refused"));
        JsonNode unrecoverable = JSON.readTree(awaitCallback(refused).body());
        assertEquals(unrecoverable.toString(), "unrecoverable", unrecoverable.get("outcome").asText());
        assertEquals(unrecoverable.toString(), 400, unrecoverable.get("lastError").get("status").asInt());
        assertEquals(400, unrecoverable.get("attempts").get(0).get("status").asInt());
        assertTrue("no callback for the message of a non-signing source carries a signature",
                awaitCallback(refused).webhook().isEmpty());

        String failed = accepted(send(credential, "cb-3", failing.baseUrl() + "/orders/status/503",
                receiver.baseUrl() + "/cb/dead"));
        JsonNode dead = JSON.readTree(awaitCallback(failed).body());
        assertEquals(dead.toString(), "deadLettered", dead.get("outcome").asText());
        JsonNode lastError = dead.get("lastError");
        assertTrue(dead.toString(), lastError.isObject() && lastError.has("reason") && lastError.has("at"));
        assertTrue("its delivery and its redrive were tried: " + dead, dead.get("attempts").size() >= 2);
        assertEquals("called back once, when it ended", 1, callbacks(failed).size());
    }

    @Test
    public void aFailingCallbackEndpointDoesNotAffectTheMessage() throws Exception {
        String syncId = accepted(send(credential, "cb-4", target.baseUrl() + "/cb/despite",
                receiver.baseUrl() + "/orders/status/500"));
        long until = System.currentTimeMillis() + 60_000;
        while (callbacks(syncId).size() < 3) {
            if (System.currentTimeMillis() > until) {
                fail("the callback was not tried 3 times within 60 s: " + callbacks(syncId).size());
            }
            Thread.sleep(100);
        }
        Thread.sleep(3_000); // room for a retry storm, were there one
        assertEquals("at most the bounded attempts", 3, callbacks(syncId).size());
        assertTrue(callbacks(syncId).stream().allMatch(x -> x.answered() == 500));
        assertEquals("the message was delivered, once", 1, target.received().stream()
                .filter(x -> syncId.equals(x.idempotencyKey()) && x.succeeded()).count());

        JsonNode trace = JSON.readTree(probe.cli("trace", syncId, "--json"));
        assertEquals(trace.toString(), "delivered", trace.get("state").asText());
        JsonNode callback = null;
        for (JsonNode e : trace.get("events")) {
            if ("callback".equals(e.path("event").asText(e.path("name").asText()))) {
                callback = e;
            }
        }
        assertTrue("trace shows the callback: " + trace, callback != null);
        assertEquals(trace.toString(), "failed", callback.get("callback").asText());
        assertEquals(trace.toString(), "delivered", callback.get("outcome").asText());
        assertEquals(trace.toString(), 3, callback.get("attempts").asInt());

        // its key is not blocked: the next message of the key is delivered too
        String next = accepted(send(credential, "cb-4", target.baseUrl() + "/cb/next", receiver.baseUrl() + "/cb/ok"));
        awaitCallback(next);
        assertTrue(target.received().stream().anyMatch(x -> next.equals(x.idempotencyKey()) && x.succeeded()));
    }

    @Test
    public void eachFannedOutTargetIsCalledBackOnItsOwn() throws Exception {
        String body = "{\"streamKey\":\"cb-7\",\"streamMessage\":{\"callbackUrl\":\"" + receiver.baseUrl()
                + "/cb/fan\",\"targets\":[{\"targetRestApi\":\"" + target.baseUrl() + "/cb/fan/a\","
                + "\"targetRestApiOperation\":\"POST\"},{\"targetRestApi\":\"" + failing.baseUrl()
                + "/orders/status/400\",\"targetRestApiOperation\":\"POST\"}]}}";
        String syncId = accepted(probe.sync(body, SourceHeaders.SOURCE_TOKEN, "Bearer " + credential));
        JsonNode first = JSON.readTree(awaitCallback(syncId + ".0").body());
        JsonNode second = JSON.readTree(awaitCallback(syncId + ".1").body());
        assertEquals(syncId + ".0", first.get("syncId").asText());
        assertEquals("delivered", first.get("outcome").asText());
        assertEquals(syncId + ".1", second.get("syncId").asText());
        assertEquals("unrecoverable", second.get("outcome").asText());
        assertEquals(400, second.get("lastError").get("status").asInt());
    }

    @Test
    public void aCallbackUrlThatIsNotAUrlOrNotAllowedIs400NamingTheField() throws Exception {
        assertRefused(send(credential, "cb-5", target.baseUrl() + "/cb/never", "not a url"), "InvalidField");
        assertRefused(send(credential, "cb-5", target.baseUrl() + "/cb/never", "ftp://127.0.0.1/x"),
                "InvalidField");
        String narrow = probe.addSource("narrow-cb", "--allow", "127.0.0.1:" + java.net.URI.create(
                target.baseUrl()).getPort());
        Thread.sleep(1_200); // the running gateway's view of sources.json catches up
        assertRefused(send(narrow, "cb-6", target.baseUrl() + "/cb/never", receiver.baseUrl() + "/cb/never"),
                "TargetNotAllowed");
        Thread.sleep(2_000);
        assertTrue("nothing of a refused message is written", target.received().stream()
                .noneMatch(x -> x.path().startsWith("/cb/never")));
    }
}
