package dev.datasync.read;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.DeliveryCore;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.Metric;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.redrive.RedrivePending;
import dev.datasync.shared.ordering.KeyOrder;
import dev.datasync.shared.routing.RoutedMessage;
import dev.datasync.shared.routing.RoutingFailedException;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.datasync.read.SchBatches.PAYLOAD;
import static dev.datasync.read.SchBatches.batch;
import static dev.datasync.read.SchBatches.element;
import static dev.datasync.read.SchBatches.fromSource;
import static dev.datasync.read.SchBatches.withSecret;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/**
 * ReadDataStreamHandler without the FDK and without OCI: the real delivery engine against a real local target,
 * tokens from a fixed source, the error streams in memory.
 */
public class ReadDataStreamHandlerTest {

    private static final String TOKEN = "Bearer read-handler-token";

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final List<RoutedMessage> routed = new CopyOnWriteArrayList<>();
    private final List<List<Metric>> published = new CopyOnWriteArrayList<>();
    private volatile boolean errorStreamsDown;
    private ScriptedTarget target;
    private DeliveryCore core;
    private ReadDataStreamHandler handler;

    @Before
    public void setUp() {
        target = ScriptedTarget.start();
        JsonLog log = JsonLog.to(logLines::add, Clock.systemUTC());
        DataSyncConfig config = DataSyncConfig.from(TestConfigs.forScriptedTarget());
        // a source's token is its own; "narrow-app" may reach one path's port only (here: none of the target's)
        core = new DeliveryCore(config, (sourceId, secretName) -> sourceId == null ? TOKEN
                : "Bearer " + sourceId + "-" + secretName, sourceId -> "narrow-app".equals(sourceId)
                ? config.targets().withEntries(List.of("127.0.0.1:1"), "allowlist") : null,
                this::append, KeyOrder.off(), new PipelineMetrics(published::add, Clock.systemUTC(),
                        config::streamName), Clock.systemUTC(), log);
        handler = new ReadDataStreamHandler(core.pipeline(), core.defaultRoutes(),
                new RedrivePending(config, core.pipeline().metrics()), log);
    }

    @After
    public void tearDown() {
        core.close();
        target.close();
    }

    /** The in-memory error streams: every message placed, unless they are down. */
    private List<String> append(String stream, List<RoutedMessage> messages) {
        if (errorStreamsDown) {
            throw new IllegalStateException("error streams unavailable");
        }
        routed.addAll(messages);
        return Collections.nCopies(messages.size(), null);
    }

    private String handle(String body) {
        return handler.handle(body.getBytes(StandardCharsets.UTF_8), Deadline.in(Duration.ofSeconds(30)));
    }

    private String message(String path, String syncId) {
        return SchBatches.message(target.baseUrl() + path, "POST", syncId, null);
    }

    @Test
    public void deliversEveryMessageWithItsTokenAndAnswersTheSummary() {
        String answer = handle(batch(element("k1", withSecret(message("/orders", "s1"), "orders-token"), 1, 1L),
                element(null, message("/orders", "s2"), 2, 2L)));

        assertEquals("""
                {"messages":2,"delivered":2,"routed":0}""", answer);
        List<ScriptedTarget.Received> calls = target.received("/orders");
        assertEquals(2, calls.size());
        ScriptedTarget.Received withToken = calls.stream().filter(c -> "s1".equals(c.header("Idempotency-Key")))
                .findFirst().orElseThrow();
        assertEquals(TOKEN, withToken.header("Authorization"));
        assertEquals(PAYLOAD, withToken.bodyText());
        assertTrue(logLines.toString(), logLines.stream().anyMatch(l -> l.contains("batch.done")));
        assertTrue(routed.isEmpty());
    }

    @Test
    public void aFailedDeliveryIsRoutedToItsErrorStreamAndCounted() {
        target.byDefault("/refused", Reply.status(400));
        String answer = handle(batch(element(null, message("/refused", "s-400"), 7, 1L),
                element(null, message("/orders", "s-ok"), 8, 1L)));

        assertEquals("""
                {"messages":2,"delivered":1,"routed":1}""", answer);
        assertEquals(1, routed.size());
        assertEquals(TestConfigs.UNRECOVERABLE, routed.get(0).stream());
        assertEquals("s-400", routed.get(0).syncId());
        assertEquals(7, routed.get(0).source().offset().longValue());
    }

    @Test
    public void aFailureRoutedToARedrivenStreamIsScheduledAndPublishedOncePerInvocation() throws Exception {
        handle(batch(element(null, message("/orders", "ok"), 4, 4L)));
        assertTrue("nothing routed, no redrive.pending", published.stream().flatMap(List::stream)
                .noneMatch(m -> m.name().equals("redrive.pending")));
        published.clear();

        target.byDefault("/down", Reply.status(503));
        target.byDefault("/refused", Reply.status(400));
        Instant before = Instant.now();
        handle(batch(element(null, message("/down", "d1"), 1, 1L), element(null, message("/down", "d2"), 2, 2L),
                element(null, message("/refused", "r1"), 3, 3L)));

        assertEquals("one publication for the invocation", 1, published.size());
        List<Metric> metrics = published.get(0).stream().filter(m -> m.name().equals("redrive.pending")).toList();
        assertEquals("only the redriven stream: the unrecoverable one waits for nobody", 1, metrics.size());
        assertEquals(Map.of("stream", "ServiceUnavailableErrorStream"), metrics.get(0).dimensions());
        assertEquals(2.0, metrics.get(0).value(), 0.0);

        for (RoutedMessage m : routed) {
            var env = Json.parse(m.value());
            assertTrue(env.toString(), Instant.parse(env.get("firstFailedAt").asText()).compareTo(before) >= 0);
            assertTrue(env.get("attempts").isArray() && env.get("attempts").size() >= 1);
            assertTrue(env.get("attempts").get(0).get("latencyMs").asLong() >= 0);
            if (m.stream().equals(TestConfigs.UNAVAILABLE)) {
                // the first slot of the default schedule (1m) after the failure
                Instant next = Instant.parse(env.get("nextAttemptAt").asText());
                Instant at = Instant.parse(env.get("lastError").get("at").asText());
                assertEquals(Duration.ofMinutes(1), Duration.between(at, next));
                assertEquals(0, env.get("redriveCount").asInt());
                assertEquals(503, env.get("attempts").get(0).get("status").asInt());
            } else {
                assertEquals(TestConfigs.UNRECOVERABLE, m.stream());
                assertTrue("nobody redrives the unrecoverable stream: " + env, !env.has("nextAttemptAt"));
            }
        }
    }

    @Test
    public void aBodyThatIsNotABatchIsRoutedWhole() {
        String answer = handle("""
                {"not":"a batch"}""");

        assertEquals("""
                {"messages":1,"delivered":0,"routed":1}""", answer);
        assertEquals(TestConfigs.UNRECOVERABLE, routed.get(0).stream());
        assertTrue(target.received().isEmpty());
    }

    @Test
    public void failuresThatCannotBePlacedFailTheInvocation() {
        target.byDefault("/refused", Reply.status(400));
        errorStreamsDown = true;
        assertThrows(RoutingFailedException.class,
                () -> handle(batch(element(null, message("/refused", "s-x"), 1, 1L))));
    }

    /** Issue 9: a message is delivered with its own source's token, and only where its source may call. */
    @Test
    public void eachMessageGetsItsSourcesTokenAndItsSourcesTargets() {
        String orders = fromSource(withSecret(message("/sources", "s-orders"), "789"), "orders-app");
        String billing = fromSource(withSecret(message("/sources", "s-billing"), "789"), "billing");
        String narrow = fromSource(message("/sources", "s-narrow"), "narrow-app");
        String answer = handle(batch(element(null, orders, 1, 1L), element(null, billing, 2, 1L),
                element(null, narrow, 3, 1L)));

        assertEquals("""
                {"messages":3,"delivered":2,"routed":1}""", answer);
        List<ScriptedTarget.Received> calls = target.received("/sources");
        assertEquals(2, calls.size());
        for (ScriptedTarget.Received c : calls) {
            String expected = c.header("Idempotency-Key").equals("s-orders") ? "Bearer orders-app-789"
                    : "Bearer billing-789";
            assertEquals(expected, c.header("Authorization"));
        }
        assertEquals(TestConfigs.UNRECOVERABLE, routed.get(0).stream());
        assertEquals("s-narrow", routed.get(0).syncId());
        String envelope = new String(routed.get(0).value(), StandardCharsets.UTF_8);
        assertTrue(envelope, envelope.contains("\"sourceId\":\"narrow-app\"")
                && envelope.contains("source's allow-list"));
        assertTrue(logLines.stream().anyMatch(l -> l.contains("\"message.routed\"")
                && l.contains("\"sourceId\":\"narrow-app\"")));
    }
}
