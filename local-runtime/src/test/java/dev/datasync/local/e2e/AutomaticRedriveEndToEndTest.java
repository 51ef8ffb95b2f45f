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
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The automatic redrive through the whole local stack, with DATASYNC_REDRIVE_SCHEDULE=1s,2s,5s: the target fails
 * (503 and 500) until it heals; nobody calls /stream/retry; every accepted message is delivered all the same, by the
 * redrive timer invoking the retry function in redrive mode, and nothing ends in DeadLetterStream.
 */
public class AutomaticRedriveEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningStack running;
    private static PipelineStack stack;
    private static SampleTarget target;
    private static StackProbe probe;

    @BeforeClass
    public static void start() throws Exception {
        running = RunningStack.start(Map.of("DATASYNC_REDRIVE_SCHEDULE", "1s,2s,5s",
                "DATASYNC_REDRIVE_MAX_AGE", "10m"), settings -> settings);
        stack = running.stack();
        target = running.target();
        probe = new StackProbe(stack);
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

    private static Set<String> deliveredKeys() {
        return target.received().stream().filter(SampleTarget.Received::succeeded)
                .map(SampleTarget.Received::idempotencyKey).collect(Collectors.toSet());
    }

    /** The syncIds in the redriven error streams. */
    private static Set<String> routedSyncIds(StreamInspector inspector) throws Exception {
        Set<String> ids = new HashSet<>();
        for (var es : stack.errorStreams()) {
            if (es.errorClass().equals("unrecoverable") || es.errorClass().equals(Topology.DEAD_LETTER_CLASS)) {
                continue;
            }
            for (Message m : inspector.read(es.ocid(), "0", 0L, 10_000)) {
                ids.add(JSON.readTree(m.getValue()).path("syncId").asText());
            }
        }
        return ids;
    }

    @Test
    public void aTargetThatFailsThenHealsGetsEveryMessageWithoutAManualReplay() throws Exception {
        String credential = stack.sourceToken().orElseThrow();
        Map<String, String> accepted = new LinkedHashMap<>(); // syncId → path
        String[] paths = {"/orders/status/503", "/orders/status/500", "/orders/status/503", "/orders/ok"};
        for (int i = 0; i < 12; i++) {
            String path = paths[i % paths.length];
            HttpResponse<String> r = probe.syncAs(credential, StackProbe.body("key-" + (i % 3), "redrive-token",
                    target.baseUrl() + path), "t0k3n");
            assertEquals(r.body(), 202, r.statusCode());
            accepted.put(JSON.readTree(r.body()).get("syncId").asText(), path);
        }

        // every message has been handed to ReadDataStream and is delivered or waits in an error stream (503 and
        // 500, or circuitOpen once the target's breaker opens)
        StreamInspector inspector = new StreamInspector(stack.clients().streamAdmin(), stack.clients().stream());
        long deadline = System.currentTimeMillis() + 180_000;
        while (true) {
            Set<String> settled = new HashSet<>(deliveredKeys());
            settled.addAll(routedSyncIds(inspector));
            if (settled.containsAll(accepted.keySet())) {
                break;
            }
            assertTrue("not every message was delivered or routed", System.currentTimeMillis() < deadline);
            Thread.sleep(200);
        }
        List<String> failing = accepted.entrySet().stream().filter(e -> e.getValue().contains("/status/"))
                .map(Map.Entry::getKey).toList();
        assertTrue("the failing ones are not delivered yet", failing.stream().noneMatch(deliveredKeys()::contains));
        target.heal();

        deadline = System.currentTimeMillis() + 180_000;
        while (!deliveredKeys().containsAll(accepted.keySet())) {
            assertTrue("not every message was delivered by the redrive: missing "
                            + accepted.keySet().stream().filter(k -> !deliveredKeys().contains(k)).toList(),
                    System.currentTimeMillis() < deadline);
            Thread.sleep(200);
        }

        String deadLetters = stack.errorStreams().stream()
                .filter(es -> es.errorClass().equals(Topology.DEAD_LETTER_CLASS)).findFirst().orElseThrow().ocid();
        assertEquals("nothing dead-lettered", 0, inspector.read(deadLetters, "0", 0L, 100).size());
        // the failures went to the error streams with their schedule (the redrive re-appended or delivered them)
        List<JsonNode> routed = new ArrayList<>();
        String su = stack.errorStreams().stream().filter(es -> es.name().equals(
                Topology.SERVICE_UNAVAILABLE_ERROR_STREAM)).findFirst().orElseThrow().ocid();
        for (Message m : inspector.read(su, "0", 0L, 1000)) {
            routed.add(JSON.readTree(m.getValue()));
        }
        assertTrue(routed.toString(), routed.stream().anyMatch(e -> e.has("nextAttemptAt") && e.has("firstFailedAt")
                && e.get("attempts").size() >= 1));
    }
}
