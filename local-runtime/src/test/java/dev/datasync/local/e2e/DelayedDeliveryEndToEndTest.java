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
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * Delayed delivery ({@code streamMessage.deliverAfter}) end to end through the local gateway, the real functions,
 * local-oci and the local redrive timer (DATASYNC_REDRIVE_SCHEDULE=1s,2s,5s, so the timer runs every second): a
 * delayed message is accepted at once (202), not delivered before its time and delivered after it; a later message of
 * its key waits behind it and arrives after it; a time in the past is delivered at once; a time that cannot be read,
 * or is beyond max_delivery_delay (half of DATASYNC_REDRIVE_MAX_AGE=10m here: 5m), is 400 naming the field.
 */
public class DelayedDeliveryEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningStack running;
    private static PipelineStack stack;
    private static StackProbe probe;
    private static SampleTarget target;
    private static String credential;
    /** The wall-clock time of a System.nanoTime() reading, to date the target's arrivals. */
    private static Instant wallAtStart;
    private static long nanoAtStart;

    @BeforeClass
    public static void start() throws Exception {
        running = RunningStack.start(Map.of("DATASYNC_REDRIVE_SCHEDULE", "1s,2s,5s",
                "DATASYNC_REDRIVE_MAX_AGE", "10m"), settings -> settings);
        stack = running.stack();
        target = running.target();
        probe = new StackProbe(stack);
        credential = stack.sourceToken().orElseThrow();
        wallAtStart = Instant.now();
        nanoAtStart = System.nanoTime();
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

    private static String body(String key, String path, String deliverAfter) {
        return "{\"streamKey\":\"" + key + "\",\"streamMessage\":{\"targetRestApi\":\"" + target.baseUrl() + path
                + "\",\"targetRestApiOperation\":\"POST\",\"targetRestApiPayload\":{\"order\":\"" + path + "\"}"
                + (deliverAfter == null ? "" : ",\"deliverAfter\":" + deliverAfter) + "}}";
    }

    private static HttpResponse<String> send(String key, String path, String deliverAfter) throws Exception {
        return probe.sync(body(key, path, deliverAfter), SourceHeaders.SOURCE_TOKEN, "Bearer " + credential);
    }

    private static List<SampleTarget.Received> at(String path) {
        return target.received().stream().filter(r -> r.path().equals(path) && r.succeeded()).toList();
    }

    private static Instant arrival(SampleTarget.Received r) {
        return wallAtStart.plusNanos(r.atNanos() - nanoAtStart);
    }

    private static SampleTarget.Received awaitDelivered(String path, int seconds) throws InterruptedException {
        long until = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < until) {
            List<SampleTarget.Received> got = at(path);
            if (!got.isEmpty()) {
                return got.get(0);
            }
            Thread.sleep(100);
        }
        fail(path + " not delivered within " + seconds + " s");
        return null;
    }

    @Test
    public void aDelayedMessageWaitsForItsTimeAndHoldsItsKey() throws Exception {
        Instant due = Instant.now().plusSeconds(12);
        HttpResponse<String> delayed = send("k-delay", "/delayed/first", "\"" + due + "\"");
        assertEquals(delayed.body(), 202, delayed.statusCode());
        String syncId = JSON.readTree(delayed.body()).get("syncId").asText();
        HttpResponse<String> later = send("k-delay", "/delayed/second", null);
        assertEquals(later.body(), 202, later.statusCode());
        // a time in the past, with an offset: delivered at once, while the delayed one still waits
        HttpResponse<String> past = send("k-past", "/delayed/past", "\"2020-01-01T03:00:00+01:00\"");
        assertEquals(past.body(), 202, past.statusCode());
        awaitDelivered("/delayed/past", 30);
        assertTrue("the delayed message is not delivered before its time", at("/delayed/first").isEmpty());
        assertTrue("the later message of its key waits behind it", at("/delayed/second").isEmpty());

        SampleTarget.Received first = awaitDelivered("/delayed/first", 60);
        SampleTarget.Received second = awaitDelivered("/delayed/second", 60);
        assertEquals(syncId, first.idempotencyKey());
        for (SampleTarget.Received r : target.received()) {
            if (r.path().startsWith("/delayed/first") || r.path().startsWith("/delayed/second")) {
                assertFalse(r.path() + " reached the target at " + arrival(r) + ", before " + due,
                        arrival(r).isBefore(due));
            }
        }
        assertTrue("the key's order is kept: the later message after the delayed one",
                second.atNanos() > first.atNanos());
    }

    @Test
    public void aDeliverAfterThatCannotBeReadOrIsTooFarAheadIs400NamingTheField() throws Exception {
        for (String bad : List.of("\"tomorrow at two\"", "\"2026-12-08T02:00:00\"", "1765159200",
                "\"" + Instant.now().plusSeconds(3600) + "\"")) {
            HttpResponse<String> r = send("k-bad", "/delayed/bad", bad);
            assertEquals(bad + ": " + r.body(), 400, r.statusCode());
            JsonNode error = JSON.readTree(r.body());
            assertEquals(r.body(), "InvalidField", error.get("code").asText());
            assertEquals(r.body(), "streamMessage.deliverAfter", error.get("field").asText());
        }
        assertTrue(at("/delayed/bad").isEmpty());
    }
}
