package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.RulesSettings;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.delivery.BatchDelivery;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Engines;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.delivery.TargetControls;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.Metric;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.ordering.KeyOrder;
import dev.datasync.shared.rules.RulesFile;
import dev.datasync.shared.rules.RulesVersion;
import dev.datasync.shared.rules.SourceRules;
import dev.datasync.shared.state.InMemoryStateObjects;
import dev.datasync.shared.testing.ScriptedTarget;
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

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Issue 15 inside the pipeline (real delivery engine, real local target, held keys and rules in an in-memory state
 * bucket): a filtered message is logged and settled without a route and holds nothing back; a failing rule routes
 * its message as transformFailed with the rules version, the payload kept as received, while the other keys go on;
 * the envelope's replay is judged by the rules in force then.
 */
public class RulesRoutingTest {

    private static final String PAYLOAD = "{\"orderid\":\"18jan\",\"status\":\"new\",\"n\":1.50}";

    private final List<RoutedMessage> placed = new CopyOnWriteArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final InMemoryStateObjects state = new InMemoryStateObjects();
    private final List<Metric> published = new CopyOnWriteArrayList<>();
    private final PipelineMetrics metrics = new PipelineMetrics(published::addAll, Clock.systemUTC(), s -> s);
    private ScriptedTarget target;
    private DataSyncConfig config;
    private BatchDelivery delivery;
    private BatchPipeline pipeline;

    @Before
    public void setUp() {
        target = ScriptedTarget.start();
        config = DataSyncConfig.from(TestConfigs.forScriptedTarget());
        Clock clock = Clock.systemUTC();
        JsonLog log = JsonLog.to(logLines::add, clock);
        var s = Engines.settings(4, 1, 2_000, 10, 20);
        delivery = Engines.build(s, TargetControls.adaptive(s, config.targetLimits(), config.breaker(), clock, log),
                log);
        ErrorStreamRouter router = new ErrorStreamRouter((stream, messages) -> {
            placed.addAll(messages);
            List<String> ok = new ArrayList<>();
            messages.forEach(m -> ok.add(null));
            return ok;
        }, log);
        pipeline = new BatchPipeline(delivery, router, true, KeyOrder.of(config, state, log), FailureStamp.NONE,
                null, metrics, new SourceRules(state, new RulesSettings(Duration.ofMillis(200), 200,
                1024 * 1024)), log);
    }

    @After
    public void tearDown() {
        delivery.close();
        target.close();
    }

    private String setRules(String source, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        state.read(RulesFile.objectName(source)).ifPresentOrElse(
                old -> state.replace(RulesFile.objectName(source), body, old.etag()),
                () -> state.create(RulesFile.objectName(source), body));
        return RulesVersion.of(body);
    }

    private byte[] stored(String source, String path, String payload, String syncId) {
        return ("{\"targetRestApi\":\"" + target.baseUrl() + path + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":" + payload + ",\"targetRestApiHeaders\":[],\"syncId\":\"" + syncId
                + "\",\"receivedAt\":\"2026-12-07T06:00:00Z\",\"sourceId\":\"" + source + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private BatchReport run(InboundMessage... messages) {
        return pipeline.process(List.of(messages), Deadline.in(Duration.ofSeconds(10)),
                RouteSelector.of(config.errorRouting()), null);
    }

    private static Source at(long offset) {
        return new Source("DataSyncStream", "0", offset);
    }

    private List<JsonNode> logged(String event) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : logLines) {
            JsonNode n = Json.parse(line.getBytes(StandardCharsets.UTF_8));
            if (n.path("event").asText().equals(event)) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    public void aFilteredMessageIsLoggedSettledAndHoldsNothingBackOfItsKey() throws Exception {
        String version = setRules("shop", "{\"filter\":\"payload.status = 'new'\"}");
        BatchReport r = run(
                InboundMessage.accepted("k", stored("shop", "/f", PAYLOAD.replace("new", "old"), "s-old"), at(1)),
                InboundMessage.accepted("k", stored("shop", "/f", PAYLOAD, "s-new"), at(2)));
        assertEquals(1, r.filtered());
        assertEquals(1, r.delivered());
        assertEquals(0, r.routed());
        assertTrue("no error stream: " + placed, placed.isEmpty());
        assertEquals(1, target.received("/f").size());
        assertArrayEquals("a filter alone sends the payload as received", PAYLOAD.getBytes(StandardCharsets.UTF_8),
                target.received("/f").get(0).body());
        JsonNode line = logged("filtered").get(0);
        assertEquals("s-old", line.path("syncId").asText());
        assertEquals("shop", line.path("sourceId").asText());
        assertEquals(version, line.path("rulesVersion").asText());
        assertEquals(version, logged("delivery.delivered").get(0).path("rulesVersion").asText());
        metrics.publish();
        assertEquals("counted once, by source", 1.0, figure(PipelineMetrics.FILTERED, "shop"), 0.0);
    }

    /** The published value of metric {@code name} for source {@code source} (0 when none). */
    private double figure(String name, String source) {
        return published.stream().filter(m -> m.name().equals(name)
                        && source.equals(m.dimensions().get(PipelineMetrics.SOURCE)))
                .mapToDouble(Metric::value).sum();
    }

    @Test
    public void aFailingRuleRoutesItsMessageAsTransformFailedAndTheOtherKeysGoOn() throws Exception {
        String broken = setRules("shop", "{\"transform\":\"{'total': payload.orderid + 1}\"}");
        BatchReport r = run(
                InboundMessage.accepted("a", stored("shop", "/t", PAYLOAD, "s-a"), at(1)),
                InboundMessage.accepted("b", stored("other", "/t", PAYLOAD, "s-b"), at(2)));
        assertEquals(1, r.delivered());
        assertEquals(1, r.routed());
        RoutedMessage routed = placed.get(0);
        assertEquals(config.streams().unrecoverable(), routed.stream());
        JsonNode env = Json.parse(routed.value());
        assertEquals("transformFailed", env.path(PipelineFields.LAST_ERROR).path("kind").asText());
        assertTrue(env.toString(), env.path(PipelineFields.LAST_ERROR).path("reason").asText().contains("T2001"));
        assertEquals(broken, env.path(PipelineFields.RULES_VERSION).asText());
        assertEquals(0, env.path(PipelineFields.DELIVERY_ATTEMPTS).asInt());
        metrics.publish();
        assertEquals(1.0, published.stream().filter(m -> m.name().equals(PipelineMetrics.FAILED)
                && "transformFailed".equals(m.dimensions().get(PipelineMetrics.KIND))).mapToDouble(Metric::value)
                .sum(), 0.0);
        assertTrue("the envelope keeps the payload as received",
                new String(routed.value(), StandardCharsets.UTF_8).contains("\"targetRestApiPayload\":" + PAYLOAD));

        // fixed rules: the replayed envelope is judged by the rules in force now
        String fixed = setRules("shop", "{\"transform\":\"{'id': payload.orderid, 'v': 2}\"}");
        BatchReport replay = run(InboundMessage.decoded("a", routed.value(),
                new Source("ocid1.stream.oc1.iad.unrecoverable", "0", 0L)));
        assertEquals(1, replay.delivered());
        assertEquals("{\"id\":\"18jan\",\"v\":2}",
                new String(target.received("/t").get(1).body(), StandardCharsets.UTF_8));
        assertEquals(fixed, logged("delivery.delivered").get(1).path("rulesVersion").asText());
    }

    @Test
    public void anEnvelopeNeverKeepsAnEarlierRulesVersionForAnAttemptWithoutRules() throws Exception {
        setRules("shop", "{\"filter\":\"true\"}");
        target.byDefault("/down", ScriptedTarget.Reply.status(500));
        run(InboundMessage.accepted(null, stored("shop", "/down", PAYLOAD, "s-1"), at(1)));
        JsonNode first = Json.parse(placed.get(0).value());
        assertFalse(first.path(PipelineFields.RULES_VERSION).isMissingNode());
        state.delete(RulesFile.objectName("shop"), state.read(RulesFile.objectName("shop")).orElseThrow().etag());
        run(InboundMessage.decoded(null, placed.get(0).value(), new Source("ocid1.stream.oc1.iad.x", "0", 0L)));
        assertTrue(Json.parse(placed.get(1).value()).path(PipelineFields.RULES_VERSION).isMissingNode());
    }
}
