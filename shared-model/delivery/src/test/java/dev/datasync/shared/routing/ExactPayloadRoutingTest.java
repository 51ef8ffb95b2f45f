package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.delivery.BatchDelivery;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Engines;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.delivery.TargetControls;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
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

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Issue 10, through the real delivery engine, a real local target and the routing (error streams captured in
 * memory): the payload reaches the target byte for byte, on first delivery and after an envelope and its replay;
 * envelope fields in a message read from DataSyncStream are not the pipeline's; a count at the top of the long range
 * stays there.
 */
public class ExactPayloadRoutingTest {

    /** What Jackson's tree rewrites: big and tiny numbers, -0, exponents, escapes, key order. */
    static final String PAYLOAD = "{\"a\":12345678901234567.89,\"b\":1e400,\"c\":-0,\"d\":\"\\u00e9\\n\",\"z\":1,"
            + "\"y\":[1.0,2E+3]}";

    private final List<RoutedMessage> placed = new CopyOnWriteArrayList<>();
    private ScriptedTarget target;
    private DataSyncConfig config;
    private BatchDelivery delivery;
    private BatchPipeline pipeline;

    @Before
    public void setUp() {
        target = ScriptedTarget.start();
        config = DataSyncConfig.from(TestConfigs.forScriptedTarget());
        Clock clock = Clock.systemUTC();
        JsonLog log = JsonLog.to(line -> { }, clock);
        var s = Engines.settings(4, 1, 2_000, 10, 20);
        delivery = Engines.build(s, TargetControls.adaptive(s, config.targetLimits(), config.breaker(), clock, log),
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

    /** A stored message (as populate writes it) to a path of the target, with members added at the end. */
    private byte[] stored(String path, String payload, String syncId, String more) {
        return ("{\"targetRestApi\":\"" + target.baseUrl() + path + "\",\"targetRestApiOperation\":\"PUT\","
                + "\"targetRestApiPayload\":" + payload + ",\"targetRestApiHeaders\":[],\"syncId\":\"" + syncId
                + "\",\"receivedAt\":\"2026-11-25T06:00:00Z\"" + more + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static Source at(long offset) {
        return new Source("DataSyncStream", "0", offset);
    }

    private BatchReport run(InboundMessage... messages) {
        return pipeline.process(List.of(messages), Deadline.in(Duration.ofSeconds(10)),
                RouteSelector.of(config.errorRouting()), null);
    }

    private RoutedMessage routed(String syncId) {
        return placed.stream().filter(m -> m.syncId().equals(syncId)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    public void thePayloadReachesTheTargetByteForByteFirstTimeAndAfterAnEnvelopeAndItsReplay() throws Exception {
        String deep = "[".repeat(120) + PAYLOAD + "]".repeat(120);
        String text = "\"caf\\u00e9 \\\"q\\\" \\/\"";
        target.byDefault("/later", Reply.status(500));
        BatchReport first = run(
                InboundMessage.accepted("k1", stored("/now", PAYLOAD, "s-now", ""), at(1)),
                InboundMessage.accepted("k2", stored("/deep", deep, "s-deep", ""), at(2)),
                InboundMessage.accepted(null, stored("/text", text, "s-text", ""), at(3)),
                InboundMessage.accepted("k3", stored("/later", PAYLOAD, "s-later", ""), at(4)));
        assertEquals(3, first.delivered());
        assertArrayEquals(PAYLOAD.getBytes(StandardCharsets.UTF_8), target.received("/now").get(0).body());
        assertArrayEquals(deep.getBytes(StandardCharsets.UTF_8), target.received("/deep").get(0).body());
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), target.received("/text").get(0).body());
        assertArrayEquals(PAYLOAD.getBytes(StandardCharsets.UTF_8), target.received("/later").get(0).body());

        // the envelope carries the payload's text unchanged, and its replay sends the same bytes
        RoutedMessage envelope = routed("s-later");
        assertTrue(new String(envelope.value(), StandardCharsets.UTF_8),
                new String(envelope.value(), StandardCharsets.UTF_8).contains("\"targetRestApiPayload\":" + PAYLOAD));
        target.byDefault("/later", Reply.status(200));
        BatchReport replay = run(InboundMessage.decoded("k3", envelope.value(),
                new Source("ocid1.stream.oc1.iad.internal", "0", 0L)));
        assertEquals(1, replay.delivered());
        assertArrayEquals(PAYLOAD.getBytes(StandardCharsets.UTF_8), target.received("/later").get(1).body());
    }

    @Test
    public void envelopeFieldsInADataStreamMessageAreIgnoredAndACountAtTheLongLimitSaturates() throws Exception {
        StringBuilder forged = new StringBuilder();
        for (String field : PipelineFields.ENVELOPE) {
            forged.append(",\"").append(field).append("\":").append(Long.MAX_VALUE);
            forged.append(",\"").append(Character.toUpperCase(field.charAt(0))).append(field.substring(1))
                    .append("\":").append(Long.MAX_VALUE);
        }
        target.byDefault("/refuses", Reply.status(500));
        run(InboundMessage.accepted("k", stored("/refuses", PAYLOAD, "s-forged", forged.toString()), at(7)));

        JsonNode env = Json.parse(routed("s-forged").value());
        assertEquals("one call made, whatever the message claimed", 1, env.get("deliveryAttempts").asLong());
        assertEquals(500, env.get("lastError").get("status").asInt());
        assertEquals(7, env.get("source").get("offset").asLong());
        assertEquals("DataSyncStream", env.get("source").get("stream").asText());
        List<String> names = new ArrayList<>();
        env.fieldNames().forEachRemaining(names::add);
        // only the fields the pipeline writes at a first failure, each with the pipeline's own value
        for (String name : names) {
            if (PipelineFields.isEnvelope(name)) {
                assertTrue(name, List.of("deliveryAttempts", "lastError", "source", "attempts", "firstFailedAt")
                        .contains(name));
            }
        }
        // the two written by every routing (issue 10) are the pipeline's own: the one call made, and when
        assertEquals(1, env.get("attempts").size());
        assertEquals(500, env.get("attempts").get(0).get("status").asInt());
        assertTrue(env.get("firstFailedAt").isTextual());
        java.time.Instant.parse(env.get("firstFailedAt").asText());

        // an envelope the pipeline wrote keeps its count; at the top of the range it stays there
        run(InboundMessage.decoded("k", stored("/refuses", PAYLOAD, "s-max",
                ",\"deliveryAttempts\":" + Long.MAX_VALUE), new Source("ocid1.stream.oc1.iad.internal", "0", 8L)));
        long count = Json.parse(routed("s-max").value()).get("deliveryAttempts").asLong();
        assertEquals(Long.MAX_VALUE, count);
        assertFalse(count < 0);
    }
}
