package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.BreakerSettings;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.DeliverySettings;
import dev.datasync.shared.config.KeyOrdering.HeldOnDeadLetter;
import dev.datasync.shared.config.TargetLimits;
import dev.datasync.shared.delivery.BatchDelivery;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Engines;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.delivery.TargetControls;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.ordering.KeyOrder;
import dev.datasync.shared.ordering.KeyRef;
import dev.datasync.shared.ordering.OrderingPass;
import dev.datasync.shared.ordering.Settlement;
import dev.datasync.shared.state.InMemoryStateObjects;
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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * A held message can come before its blocker in an error stream: ReadDataStream appends it there while the redrive
 * re-appends the blocker. Reading them in that order, the blocker must still be delivered (were it held back behind
 * its own follower, the two would wait for each other until the max age), and the follower must wait. Real engine,
 * held keys over the in-memory state port, a real local target.
 */
public class HeldBeforeBlockerTest {

    private static final KeyRef KEY = new KeyRef("orders-app", "k1");

    private final List<RoutedMessage> placed = new CopyOnWriteArrayList<>();
    private final InMemoryStateObjects state = new InMemoryStateObjects();
    private ScriptedTarget target;
    private BatchDelivery delivery;
    private BatchPipeline pipeline;
    private KeyOrder ordering;
    private DataSyncConfig config;

    @Before
    public void setUp() {
        target = ScriptedTarget.start().byDefault("/ok", Reply.status(200));
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
        ordering = KeyOrder.over(state, HeldOnDeadLetter.RELEASE, Set.of(TestConfigs.UNRECOVERABLE),
                TestConfigs.UNRECOVERABLE, log);
        pipeline = new BatchPipeline(delivery, router, true, ordering, log);
    }

    @After
    public void tearDown() {
        delivery.close();
        target.close();
    }

    private InboundMessage message(String syncId, long offset) {
        String json = "{\"targetRestApi\":\"" + target.baseUrl() + "/ok\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"n\":" + offset + "},\"syncId\":\"" + syncId
                + "\",\"sourceId\":\"orders-app\"}";
        return InboundMessage.decoded("k1", json.getBytes(StandardCharsets.UTF_8),
                new Source(TestConfigs.UNAVAILABLE, "0", offset));
    }

    @Test
    public void theBlockerIsDeliveredAndItsFollowerThatCameFirstWaits() throws Exception {
        // k1#1 failed, k1#2 waits behind it; in the stream k1#2 now comes first
        OrderingPass earlier = ordering.begin();
        earlier.verdict(KEY, "k1#1");
        earlier.verdict(KEY, "k1#2");
        earlier.settle(List.of(Settlement.waiting(KEY, "k1#1", TestConfigs.UNAVAILABLE),
                Settlement.waiting(KEY, "k1#2", TestConfigs.UNAVAILABLE)));

        BatchReport report = pipeline.process(List.of(message("k1#2", 10), message("k1#1", 11), message("k1#3", 12)),
                Deadline.in(Duration.ofSeconds(20)), RouteSelector.of(config.errorRouting()), null);

        assertFalse("k1#2 waits: its blocker was not delivered before it", report.outcomes().get(0).delivered());
        assertTrue("the blocker goes", report.outcomes().get(1).delivered());
        assertFalse("k1#3 waits behind k1#2", report.outcomes().get(2).delivered());
        assertEquals(List.of("k1#1"), target.received("/ok").stream()
                .map(r -> r.header("Idempotency-Key")).toList());
        JsonNode second = Json.parse(placed.stream().filter(m -> m.syncId().equals("k1#2")).findFirst().orElseThrow()
                .value());
        assertEquals("heldBack", second.get("lastError").get("kind").asText());

        // the next read of the stream: k1#2 is the blocker now and goes, then k1#3
        pipeline.process(List.of(message("k1#2", 13), message("k1#3", 14)), Deadline.in(Duration.ofSeconds(20)),
                RouteSelector.of(config.errorRouting()), null);
        assertEquals(List.of("k1#1", "k1#2", "k1#3"), target.received("/ok").stream()
                .map(r -> r.header("Idempotency-Key")).toList());
    }
}
