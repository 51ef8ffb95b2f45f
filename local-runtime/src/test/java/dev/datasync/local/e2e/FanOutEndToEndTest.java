package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.RunningStack;
import dev.datasync.local.StackProbe;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * Fan-out ({@code streamMessage.targets}) end to end through the local gateway, the real functions, local-oci and
 * the redrive timer (DATASYNC_REDRIVE_SCHEDULE=1s,2s,5s): one message to three targets, one of which answers 503
 * (on its own listener, so its circuit breaker is its own): the 202 lists the three targets' ids
 * ({@code <syncId>.<n>}), the other two are delivered with their own Idempotency-Key while the failing one is
 * routed, and the redrive delivers it once it heals. Both forms, too many targets and a target outside the source's
 * allow-list are 400 naming the field, with nothing delivered.
 */
public class FanOutEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningStack running;
    private static PipelineStack stack;
    private static StackProbe probe;
    private static SampleTarget target;
    private static SampleTarget failing;
    private static String credential;

    @BeforeClass
    public static void start() throws Exception {
        running = RunningStack.start(Map.of("DATASYNC_REDRIVE_SCHEDULE", "1s,2s,5s",
                "DATASYNC_REDRIVE_MAX_AGE", "10m"), settings -> settings);
        stack = running.stack();
        target = running.target();
        failing = SampleTarget.start(0); // a listener of its own: its breaker and its 503s are its own
        probe = new StackProbe(stack);
        credential = stack.sourceToken().orElseThrow();
    }

    @AfterClass
    public static void stop() {
        if (failing != null) {
            failing.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (running != null) {
            running.close();
        }
    }

    private static String targetJson(String url) {
        return "{\"targetRestApi\":\"" + url + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"to\":\"" + url + "\"}}";
    }

    private static HttpResponse<String> send(String as, String key, String targets, String single) throws Exception {
        String body = "{\"streamKey\":\"" + key + "\",\"streamMessage\":{" + (single == null ? "" : single + ",")
                + "\"targets\":[" + targets + "]}}";
        return probe.sync(body, SourceHeaders.SOURCE_TOKEN, "Bearer " + as);
    }

    private static List<SampleTarget.Received> received() {
        List<SampleTarget.Received> all = new java.util.ArrayList<>(target.received());
        all.addAll(failing.received());
        return all;
    }

    private static List<SampleTarget.Received> delivered(String idempotencyKey) {
        return received().stream().filter(r -> idempotencyKey.equals(r.idempotencyKey()) && r.succeeded()).toList();
    }

    private static void awaitDelivered(String idempotencyKey) throws InterruptedException {
        long until = System.currentTimeMillis() + 60_000;
        while (delivered(idempotencyKey).isEmpty()) {
            if (System.currentTimeMillis() > until) {
                fail(idempotencyKey + " not delivered within 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static void assertRefused(HttpResponse<String> r, String field) throws Exception {
        assertEquals(r.body(), 400, r.statusCode());
        assertEquals(r.body(), field, JSON.readTree(r.body()).get("field").asText());
    }

    @Test
    public void threeTargetsOneFailsAndIsRedrivenWhileTheOtherTwoAreDelivered() throws Exception {
        String failingUrl = failing.baseUrl() + "/orders/status/503";
        HttpResponse<String> r = send(credential, "fan-1", targetJson(target.baseUrl() + "/fan/a") + ","
                + targetJson(failingUrl) + "," + targetJson(target.baseUrl() + "/fan/c"), null);
        assertEquals(r.body(), 202, r.statusCode());
        JsonNode accepted = JSON.readTree(r.body());
        String syncId = accepted.get("syncId").asText();
        JsonNode targets = accepted.get("targets");
        assertEquals(r.body(), 3, targets.size());
        for (int n = 0; n < 3; n++) {
            assertEquals(syncId + "." + n, targets.get(n).get("syncId").asText());
            assertTrue(targets.get(n).has("partition") && targets.get(n).has("offset"));
        }
        awaitDelivered(syncId + ".0");
        awaitDelivered(syncId + ".2");
        assertEquals("/fan/a", delivered(syncId + ".0").get(0).path());
        assertEquals("/fan/c", delivered(syncId + ".2").get(0).path());
        // its own key may sit on another partition, read by another invocation: wait for its try, as for the others
        long until = System.currentTimeMillis() + 60_000;
        while (failing.received().stream().noneMatch(x -> (syncId + ".1").equals(x.idempotencyKey()))
                && System.currentTimeMillis() < until) {
            Thread.sleep(100);
        }
        assertTrue("the failing target was tried, with its own key", failing.received().stream()
                .anyMatch(x -> (syncId + ".1").equals(x.idempotencyKey()) && x.answered() == 503));
        assertTrue(delivered(syncId + ".1").isEmpty());

        failing.heal();
        awaitDelivered(syncId + ".1"); // by the redrive: nobody replays it
        assertEquals("each target delivered once", 1, delivered(syncId + ".0").size());
        assertEquals(1, delivered(syncId + ".2").size());
    }

    @Test
    public void bothFormsTooManyTargetsAndATargetOutsideTheAllowListAre400NamingTheField() throws Exception {
        String ok = targetJson(target.baseUrl() + "/fan/refused");
        assertRefused(send(credential, "fan-2", ok, "\"targetRestApi\":\"" + target.baseUrl()
                + "/fan/refused\",\"targetRestApiOperation\":\"POST\""), "streamMessage.targets");
        String eleven = String.join(",", java.util.Collections.nCopies(11, ok));
        assertRefused(send(credential, "fan-3", eleven, null), "streamMessage.targets");
        String narrow = probe.addSource("narrow-fan", "--allow", "127.0.0.1:" + java.net.URI.create(
                target.baseUrl()).getPort());
        Thread.sleep(1_200); // the running gateway's view of sources.json catches up
        HttpResponse<String> outside = send(narrow, "fan-4", ok + "," + targetJson(failing.baseUrl() + "/fan/x"),
                null);
        assertRefused(outside, "streamMessage.targets[1].targetRestApi");
        assertEquals("TargetNotAllowed", JSON.readTree(outside.body()).get("code").asText());
        Thread.sleep(2_000);
        assertTrue("nothing of a refused fan-out is written", received().stream()
                .noneMatch(x -> x.path().startsWith("/fan/refused") || x.path().startsWith("/fan/x")));
    }
}
