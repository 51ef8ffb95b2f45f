package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.BreakerSettings;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.DeliverySettings;
import dev.datasync.shared.config.TargetLimits;
import dev.datasync.shared.delivery.BatchDelivery;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Engines;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.delivery.TargetControls;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.routing.internal.SourceIdPeek;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * A key is (sourceId, streamKey): inside one batch, a failure of one source's message holds back the later messages
 * of its own key only, never another source's messages that happen to use the same streamKey. (With lanes by
 * streamKey alone, two sources' held keys could block each other's blockers in two streams for ever.) Real engine
 * and a real local target; the error streams captured in memory.
 */
public class SourceKeyLanesTest {

    private final List<RoutedMessage> placed = new CopyOnWriteArrayList<>();
    private ScriptedTarget target;
    private BatchDelivery delivery;
    private BatchPipeline pipeline;
    private DataSyncConfig config;

    @Before
    public void setUp() {
        target = ScriptedTarget.start().byDefault("/fail", Reply.status(503)).byDefault("/ok", Reply.status(200));
        config = DataSyncConfig.from(TestConfigs.forScriptedTarget());
        Clock clock = Clock.systemUTC();
        JsonLog log = JsonLog.to(line -> { }, clock);
        DeliverySettings s = Engines.settings(4, 1, 2000, 10, 20);
        delivery = Engines.build(s, TargetControls.fixed(4, TargetLimits.NONE, BreakerSettings.DEFAULT, clock, log),
                log);
        ErrorStreamRouter router = new ErrorStreamRouter((stream, messages) -> {
            placed.addAll(messages);
            List<String> ok = new ArrayList<>();
            messages.forEach(m -> ok.add(null));
            return ok;
        }, log);
        pipeline = new BatchPipeline(delivery, router, true, log);
    }

    @After
    public void tearDown() {
        delivery.close();
        target.close();
    }

    private InboundMessage message(String sourceId, String path, String syncId, long offset) {
        String json = "{\"targetRestApi\":\"" + target.baseUrl() + path + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"n\":" + offset + "},\"syncId\":\"" + syncId + "\",\"sourceId\":\""
                + sourceId + "\"}";
        return InboundMessage.accepted("k1", json.getBytes(StandardCharsets.UTF_8),
                new Source("DataSyncStream", "0", offset));
    }

    private JsonNode envelopeOf(String syncId) throws Exception {
        return Json.parse(placed.stream().filter(m -> m.syncId().equals(syncId)).findFirst().orElseThrow().value());
    }

    @Test
    public void aFailureHoldsBackItsOwnSourcesKeyOnlyNotAnotherSourcesSameStreamKey() throws Exception {
        BatchReport report = pipeline.process(List.of(
                        message("orders-app", "/fail", "a1", 1),
                        message("billing", "/ok", "b1", 2),
                        message("orders-app", "/ok", "a2", 3),
                        message("billing", "/ok", "b2", 4)),
                Deadline.in(Duration.ofSeconds(20)), RouteSelector.of(config.errorRouting()), null);

        assertTrue("billing's k1 is another key: delivered", report.outcomes().get(1).delivered());
        assertTrue(report.outcomes().get(3).delivered());
        assertEquals(2, report.delivered());
        assertEquals(2, target.received("/ok").size());
        // orders-app's k1: a1 failed, a2 waits behind it in the same stream, not sent
        assertEquals(TestConfigs.UNAVAILABLE, placed.stream().filter(m -> m.syncId().equals("a1")).findFirst()
                .orElseThrow().stream());
        JsonNode a2 = envelopeOf("a2");
        assertEquals("a1", a2.get("heldBehind").asText());
        assertEquals("heldBack", a2.get("lastError").get("kind").asText());
    }

    @Test
    public void theSourceIdIsReadFromTheTopLevelOnly() {
        assertEquals("billing", SourceIdPeek.of(
                "{\"x\":{\"sourceId\":\"nested\"},\"sourceId\":\"billing\"}".getBytes(StandardCharsets.UTF_8)));
        assertNull(SourceIdPeek.of("{\"targetRestApiPayload\":{\"sourceId\":\"nested\"}}"
                .getBytes(StandardCharsets.UTF_8)));
        assertNull(SourceIdPeek.of("[\"sourceId\"]".getBytes(StandardCharsets.UTF_8)));
        assertNull(SourceIdPeek.of("not json".getBytes(StandardCharsets.UTF_8)));
        assertNull(SourceIdPeek.of(null));
    }
}
