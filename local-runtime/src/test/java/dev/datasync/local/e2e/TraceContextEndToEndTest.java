package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.datasync.local.RunningStack;
import dev.datasync.local.StackProbe;
import dev.datasync.local.Waits;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/**
 * W3C trace context through the whole stack (gateway, populate, local-oci, connector, read-data-stream-fn) to a
 * real target on 127.0.0.1 that answers 503 to the first call of each message and 200 to the next: the target sees
 * the caller's trace id on every attempt, each with a span id of its own; the 202 names the trace id; a malformed
 * traceparent is ignored and a new trace started, as is one for a request without any.
 */
public class TraceContextEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    /** What the target got: Idempotency-Key → the traceparent of each call, in order. */
    private static final Map<String, List<String>> calls = new ConcurrentHashMap<>();
    private static HttpServer target;
    /** A second target, down until {@link #downTargetUp} (its own circuit breaker: the first target's stays shut). */
    private static HttpServer downTarget;
    private static volatile boolean downTargetUp;
    private static final List<String> downCalls = new CopyOnWriteArrayList<>();
    private static RunningStack running;
    private static StackProbe probe;

    @BeforeClass
    public static void start() throws Exception {
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        target.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String key = String.valueOf(ex.getRequestHeaders().getFirst("Idempotency-Key"));
            List<String> seen = calls.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
            seen.add(String.valueOf(ex.getRequestHeaders().getFirst("traceparent")));
            ex.sendResponseHeaders(seen.size() == 1 ? 503 : 200, -1); // fails once, then succeeds
            ex.close();
        });
        target.start();
        downTarget = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        downTarget.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            downCalls.add(String.valueOf(ex.getRequestHeaders().getFirst("traceparent")));
            ex.sendResponseHeaders(downTargetUp ? 200 : 404, -1);
            ex.close();
        });
        downTarget.start();
        running = RunningStack.start(Map.of("DATASYNC_REDRIVE", "false"), settings -> settings);
        probe = new StackProbe(running.stack());
    }

    @AfterClass
    public static void stop() {
        if (probe != null) {
            probe.close();
        }
        if (running != null) {
            running.close();
        }
        if (target != null) {
            target.stop(0);
        }
        if (downTarget != null) {
            downTarget.stop(0);
        }
    }

    /** POST /stream/sync with these extra headers; the 202's syncId and traceId. */
    private static JsonNode accepted(String key, String... headers) throws Exception {
        return accepted(target, key, headers);
    }

    private static JsonNode accepted(HttpServer to, String key, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = SourceHeaders.SOURCE_TOKEN;
        all[1] = "Bearer " + running.stack().sourceToken().orElseThrow();
        System.arraycopy(headers, 0, all, 2, headers.length);
        HttpResponse<String> r = probe.sync("{\"streamKey\":\"" + key + "\",\"streamMessage\":{\"targetRestApi\":"
                + "\"http://127.0.0.1:" + to.getAddress().getPort() + "/hook\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"k\":\"" + key + "\"},\"targetRestApiHeaders\":[]}}", all);
        assertEquals(r.body(), 202, r.statusCode());
        JsonNode body = JSON.readTree(r.body());
        assertTrue(r.body(), body.path("traceId").asText().matches("[0-9a-f]{32}"));
        return body;
    }

    /** The traceparents of the two calls (the 503, then the 200) the target got for this syncId. */
    private static List<String> twoCalls(String syncId) throws Exception {
        Waits.await(() -> calls.getOrDefault(syncId, List.of()).size() >= 2, 60_000,
                () -> "two calls for " + syncId + ", got " + calls.get(syncId));
        return calls.get(syncId);
    }

    private static void assertSameTraceNewSpans(List<String> seen, String traceId, String notSpan) {
        String firstSpan = null;
        for (String header : seen) {
            var m = TRACEPARENT.matcher(header);
            assertTrue("a W3C traceparent: " + header, m.matches());
            assertEquals(header, traceId, m.group(1));
            assertNotEquals("a new span id, not the caller's", notSpan, m.group(2));
            if (firstSpan == null) {
                firstSpan = m.group(2);
            } else {
                assertNotEquals("each attempt has its own span id: " + seen, firstSpan, m.group(2));
            }
        }
    }

    @Test
    public void theCallersTraceReachesTheTargetWithANewSpanIdPerAttempt() throws Exception {
        JsonNode a = accepted("traced", "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
        assertEquals("the 202 names the caller's trace", CALLER_TRACE, a.get("traceId").asText());
        List<String> seen = twoCalls(a.get("syncId").asText());
        assertSameTraceNewSpans(seen, CALLER_TRACE, CALLER_SPAN);
        assertTrue(seen.toString(), seen.stream().allMatch(h -> h.endsWith("-01")));

        // every line of the stack's log about the message carries its trace id: accepted, the attempt, delivered
        String syncId = a.get("syncId").asText();
        Waits.await(() -> logLinesOf(syncId).stream().anyMatch(l -> l.path("event").asText()
                .equals("delivery.delivered")), 30_000, () -> "the delivered line of " + syncId);
        List<JsonNode> lines = logLinesOf(syncId);
        assertTrue(lines.toString(), lines.stream().map(l -> l.path("event").asText()).toList()
                .containsAll(List.of("sync.accepted", "delivery.attempt", "delivery.delivered")));
        for (JsonNode l : lines) {
            assertEquals(l.toString(), CALLER_TRACE, l.path("traceId").asText());
        }
    }

    /** The JSON lines of the stack's log file that name this syncId. */
    private static List<JsonNode> logLinesOf(String syncId) {
        try {
            List<JsonNode> lines = new java.util.ArrayList<>();
            for (String line : java.nio.file.Files.readAllLines(running.stack().logFile())) {
                if (line.startsWith("{")) {
                    JsonNode n = JSON.readTree(line);
                    if (syncId.equals(n.path("syncId").asText())) {
                        lines.add(n);
                    }
                }
            }
            return lines;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    public void aMalformedTraceparentIsIgnoredAndANewTraceStarted() throws Exception {
        String malformed = "00-" + CALLER_TRACE.toUpperCase() + "-" + CALLER_SPAN + "-01";
        JsonNode a = accepted("malformed", "traceparent", malformed);
        String traceId = a.get("traceId").asText();
        assertNotEquals(CALLER_TRACE, traceId);
        assertSameTraceNewSpans(twoCalls(a.get("syncId").asText()), traceId, CALLER_SPAN);
    }

    @Test
    public void withoutATraceparentANewTraceIsStarted() throws Exception {
        JsonNode a = accepted("untraced");
        JsonNode b = accepted("untraced-2");
        assertNotEquals("each message its own trace", a.get("traceId").asText(), b.get("traceId").asText());
        assertSameTraceNewSpans(twoCalls(a.get("syncId").asText()), a.get("traceId").asText(), "");
    }

    @Test
    public void aReplayedMessageKeepsItsTraceInItsErrorStreamEnvelope() throws Exception {
        String caller = "00-" + "ab".repeat(16) + "-" + CALLER_SPAN + "-00";
        JsonNode a = accepted(downTarget, "replayed", "traceparent", caller);
        // 404: one call, routed to DefaultErrorStream with its envelope
        Waits.await(() -> !downCalls.isEmpty(), 60_000, () -> "the first call");
        Waits.await(() -> {
            try {
                return probe.cli("messages", "DefaultErrorStream", "--json").contains(a.get("syncId").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 60_000, () -> "routed to DefaultErrorStream");
        downTargetUp = true;
        probe.cli("retry", "DefaultErrorStream", "--from", "0");
        assertEquals(downCalls.toString(), 2, downCalls.size());
        // the caller's flags (00) kept too
        assertSameTraceNewSpans(downCalls, "ab".repeat(16), CALLER_SPAN);
        assertTrue(downCalls.toString(), downCalls.stream().allMatch(h -> h.endsWith("-00")));
    }
}
