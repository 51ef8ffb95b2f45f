package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.BatchDelivery;
import dev.datasync.shared.delivery.Callback;
import dev.datasync.shared.delivery.CallbackSender;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Engines;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.delivery.TargetCheck;
import dev.datasync.shared.delivery.TargetControls;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.ordering.KeyOrder;
import dev.datasync.shared.rules.SourceRules;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * Which messages of a batch the pipeline calls back, and when: a message that ends (here unrecoverable: its host is
 * off the allow-list) with its attempts and lastError, once the batch is placed; none for a message that still waits
 * to be redriven, none for one without a callbackUrl, and none at all when the batch cannot be placed (its outcome
 * is not durable: the batch comes again). Real engine, guard and router; DNS scripted; the sender records.
 */
public class CallbackRoutingTest {

    private final List<Callback> sent = new CopyOnWriteArrayList<>();
    private final AtomicBoolean streamsDown = new AtomicBoolean();
    private DataSyncConfig config;
    private BatchDelivery delivery;
    private BatchPipeline pipeline;

    @Before
    public void setUp() {
        config = DataSyncConfig.from(TestConfigs.with("target_allowlist", "orders.example.com"));
        TargetGuard guard = new TargetGuard(config.targets(), host -> {
            throw new UnknownHostException(host);
        });
        Clock clock = Clock.systemUTC();
        JsonLog log = JsonLog.to(line -> { }, clock);
        var s = config.delivery();
        delivery = Engines.build(s, TargetControls.adaptive(s, config.targetLimits(), config.breaker(), clock, log),
                (source, name) -> "Bearer unused", TargetCheck.of(guard), log);
        ErrorStreamRouter router = new ErrorStreamRouter((stream, messages) -> {
            if (streamsDown.get()) {
                throw new IllegalStateException("streaming is down");
            }
            List<String> ok = new ArrayList<>();
            messages.forEach(m -> ok.add(null));
            return ok;
        }, log);
        CallbackSender recorder = (callbacks, deadline) -> sent.addAll(callbacks);
        pipeline = new BatchPipeline(delivery, router, false, KeyOrder.off(), FailureStamp.NONE,
                TestConfigs.DEAD_LETTER, PipelineMetrics.OFF, SourceRules.NONE, clock, recorder,
                TestConfigs.UNRECOVERABLE, log);
    }

    @After
    public void tearDown() {
        delivery.close();
    }

    private static InboundMessage message(String target, String syncId, String callbackUrl, long offset) {
        return InboundMessage.decoded(null, ("{\"targetRestApi\":\"" + target + "\",\"targetRestApiOperation\":\"POST\","
                + "\"syncId\":\"" + syncId + "\"" + (callbackUrl == null ? "" : ",\"callbackUrl\":\"" + callbackUrl
                + "\"") + "}").getBytes(StandardCharsets.UTF_8), new Source("DataSyncStream", "0", offset));
    }

    private BatchReport process(InboundMessage... messages) {
        return pipeline.process(List.of(messages), Deadline.in(Duration.ofSeconds(10)),
                RouteSelector.of(config.errorRouting()), null);
    }

    @Test
    public void anEndedMessageIsCalledBackAndAWaitingOneOrOneWithoutACallbackUrlIsNot() throws Exception {
        BatchReport report = process(
                message("https://orders.example.net/api", "s-ended", "https://hooks.example.com/done", 1),
                message("https://orders.example.com/api", "s-waits", "https://hooks.example.com/done", 2),
                message("https://orders.example.net/api", "s-silent", null, 3));

        assertEquals(3, report.routed());
        assertEquals("only the ended message with a callbackUrl: " + sent, 1, sent.size());
        Callback c = sent.get(0);
        assertEquals("s-ended", c.syncId());
        assertEquals("s-ended.callback", c.id());
        assertEquals(Callback.UNRECOVERABLE, c.outcome());
        assertEquals(URI.create("https://hooks.example.com/done"), c.url());
        JsonNode body = Json.parse(c.body());
        assertEquals("s-ended", body.get("syncId").asText());
        assertEquals("unrecoverable", body.get("outcome").asText());
        assertEquals("invalid", body.get("lastError").get("kind").asText());
        assertTrue(body.get("attempts").isArray());
        assertTrue(body.get("at").isTextual());
    }

    @Test
    public void nothingIsCalledBackWhenTheBatchCannotBePlaced() {
        streamsDown.set(true);
        try {
            process(message("https://orders.example.net/api", "s-unplaced", "https://hooks.example.com/done", 4));
            fail("the batch cannot be placed");
        } catch (RoutingFailedException expected) {
            assertTrue("no callback before the outcome is durable: " + sent, sent.isEmpty());
        }
    }
}
