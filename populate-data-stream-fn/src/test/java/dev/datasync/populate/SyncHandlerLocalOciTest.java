package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.contract.SyncRequestReader;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.routing.BatchReport;
import dev.datasync.shared.fn.DeliveryStack;
import dev.datasync.shared.fn.GatewayAnswer;
import dev.datasync.shared.fn.SyncStack;
import dev.datasync.shared.routing.InboundMessage;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.LocalPipelineRule;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Regression: with {@code sync_max_message_bytes} at OCI's 1 MiB, a message populate accepted could, once its
 * delivery failed, only be routed as an envelope over OCI's per-message limit — never placed, so Service Connector
 * Hub would deliver the batch again forever. Here a message of exactly the largest accepted size goes the whole way
 * through the real SDK against local-oci: accepted by populate (202) into DataSyncStream, delivered to a target that
 * keeps failing, and routed into its error stream.
 */
public class SyncHandlerLocalOciTest {

    /** The longest key OCI allows: it counts toward the same per-message limit as the envelope. */
    private static final String KEY = "k".repeat(SyncRequestReader.MAX_KEY_BYTES);
    private static final Instant RECEIVED = Instant.parse("2026-11-25T06:00:00.123Z");

    @ClassRule
    public static final LocalPipelineRule ENV = new LocalPipelineRule();

    private static LocalPipeline env;
    private static SyncStack syncStack;
    private static DataSyncConfig config;
    private static SyncHandler handler;
    private static DeliveryStack stack;

    @BeforeClass
    public static void start() {
        env = ENV.pipeline();
        Map<String, String> m = env.config();
        m.put("delivery_max_attempts", "2");
        config = DataSyncConfig.from(m); // sync_max_message_bytes: its default, the largest allowed
        JsonLog log = JsonLog.to(line -> { }, Clock.systemUTC());
        syncStack = SyncStack.create(config, log);
        handler = new SyncHandler(config, syncStack.guard(), syncStack.writer(), syncStack.vault(),
                syncStack.sources(), syncStack.quota(), null, syncStack.state(), log,
                Clock.fixed(RECEIVED, ZoneOffset.UTC),
                () -> UUID.randomUUID().toString());
        stack = new DeliveryStack(config, new OciClients(config.oci()), Clock.systemUTC(), log);
    }

    @AfterClass
    public static void stop() {
        stack.close();
        syncStack.close();
    }

    /** A sync request whose payload string has {@code pad} characters. */
    private static byte[] request(String target, int pad) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("streamKey", KEY);
        ObjectNode msg = body.putObject("streamMessage");
        msg.put("targetRestApi", target);
        msg.put("targetRestApiOperation", "POST");
        msg.putObject("targetRestApiPayload").put("data", "x".repeat(pad));
        msg.putArray("targetRestApiHeaders").addObject().put("key", "Content-Type").put("value", "application/json");
        return Json.toBytes(body);
    }

    /**
     * The size populate stores for a request with {@code pad}: the streamMessage plus syncId, receivedAt, sourceId
     * and traceparent (a new trace's: every traceparent has the same length).
     */
    private static int storedSize(String target, int pad) throws Exception {
        var read = SyncRequestReader.read(Json.parse(request(target, pad)), true).value();
        return Json.toBytes(read.streamMessage().accepted(UUID.randomUUID().toString(), RECEIVED,
                SyncRequests.SOURCE, dev.datasync.shared.contract.TraceParent.start()).toJson()).length;
    }

    @Test
    public void aMessageOfTheLargestAcceptedSizeIsRoutedWhenItsDeliveryFails() throws Exception {
        String path = "/headroom-" + System.nanoTime();
        env.target().byDefault(path, Reply.status(503));
        String target = env.target().baseUrl() + path;
        int max = config.syncLimits().maxMessageBytes();
        int pad = max - storedSize(target, 0);

        GatewayAnswer tooLarge = handler.handle(SyncRequests.call(request(target, pad + 1), null));
        assertEquals("one byte more is refused: " + new String(tooLarge.body(), StandardCharsets.UTF_8), 400,
                tooLarge.status());
        GatewayAnswer accepted = handler.handle(SyncRequests.call(request(target, pad), null));
        assertEquals(new String(accepted.body(), StandardCharsets.UTF_8), 202, accepted.status());
        JsonNode answer = Json.parse(accepted.body());
        String syncId = answer.get("syncId").asText();
        String partition = answer.get("partition").asText();
        long offset = answer.get("offset").asLong();

        Message stored = env.readAll(LocalPipeline.DATA, partition).stream()
                .filter(x -> x.getOffset() == offset).findFirst().orElseThrow();
        assertEquals("the message is exactly the largest accepted size", max, stored.getValue().length);

        int before = env.readAll(LocalPipeline.SERVICE_UNAVAILABLE).size();
        BatchReport report = stack.pipeline().process(List.of(InboundMessage.decoded(
                        new String(stored.getKey(), StandardCharsets.UTF_8), stored.getValue(),
                        new Source(LocalPipeline.DATA, partition, offset))),
                Deadline.in(Duration.ofSeconds(30)), stack.defaultRoutes(), null);

        assertEquals(1, report.routed());
        List<Message> routed = env.readAll(LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(before + 1, routed.size());
        Message m = routed.get(before);
        assertEquals(KEY, new String(m.getKey(), StandardCharsets.UTF_8));
        assertTrue(m.getKey().length + m.getValue().length <= 1024 * 1024);
        JsonNode envelope = Json.parse(m.getValue());
        assertEquals(syncId, envelope.get("syncId").asText());
        assertEquals(pad, envelope.get("targetRestApiPayload").get("data").asText().length());
        assertEquals(2, envelope.get("deliveryAttempts").asInt());
        assertEquals(503, envelope.get("lastError").get("status").asInt());
        assertEquals(offset, envelope.get("source").get("offset").asLong());
        assertEquals(2, env.target().received(path).size());
    }

    /**
     * Issue 10: a caller sets none of the fields the pipeline owns — not inside streamMessage (in any letter case),
     * not beside it, not in an item of an array body — and a {@code deliveryAttempts} of 2^63-1 it sent never reaches
     * the envelope's count. The payload is stored as the exact text sent.
     */
    @Test
    public void ownedFieldsACallerSendsAreIgnoredEverywhereAndThePayloadIsStoredAsSent() throws Exception {
        String path = "/owned-" + System.nanoTime();
        env.target().byDefault(path, Reply.status(503));
        String payload = "{\"a\":12345678901234567.89,\"b\":1e400,\"c\":-0,\"d\":\"\\u00e9\\n\","
                + "\"deliveryAttempts\":9223372036854775807}";
        StringBuilder owned = new StringBuilder();
        for (String field : PipelineFields.ALL) {
            String value = field.equals("sourceId") ? "\"billing\"" : "9223372036854775807";
            owned.append(",\"").append(field).append("\":").append(value);
            owned.append(",\"").append(field.toUpperCase(Locale.ROOT)).append("\":").append(value);
        }
        String item = "{" + owned.substring(1) + ",\"streamKey\":\"owned\",\"streamMessage\":{\"targetRestApi\":\""
                + env.target().baseUrl() + path + "\",\"targetRestApiOperation\":\"POST\",\"targetRestApiPayload\":"
                + payload + owned + "}}";
        for (String body : List.of(item, "[" + item + "," + item + "]")) {
            GatewayAnswer answer = handler.handle(SyncRequests.call(body, null));
            String text = new String(answer.body(), StandardCharsets.UTF_8);
            assertEquals(text, 202, answer.status());
            JsonNode accepted = Json.parse(answer.body());
            for (JsonNode a : accepted.isArray() ? accepted : List.of(accepted)) {
                Message stored = env.readAll(LocalPipeline.DATA, a.get("partition").asText()).stream()
                        .filter(x -> x.getOffset() == a.get("offset").asLong()).findFirst().orElseThrow();
                String value = new String(stored.getValue(), StandardCharsets.UTF_8);
                assertTrue(value, value.contains("\"targetRestApiPayload\":" + payload + ","));
                JsonNode message = Json.parse(stored.getValue());
                List<String> names = new ArrayList<>();
                message.fieldNames().forEachRemaining(names::add);
                assertEquals(value, List.of("targetRestApi", "targetRestApiOperation", "targetRestApiPayload",
                        "targetRestApiHeaders", "syncId", "receivedAt", "sourceId", "traceparent"), names);
                // the pipeline's own trace, not the caller's forged field: the one the 202 names
                assertEquals(value, "00-" + a.get("traceId").asText(),
                        message.get("traceparent").asText().substring(0, 35));
                assertEquals(a.get("syncId").asText(), message.get("syncId").asText());
                assertEquals(RECEIVED.toString(), message.get("receivedAt").asText());
                assertEquals(SyncRequests.SOURCE, message.get("sourceId").asText());
            }
        }

        // delivered as ReadDataStream does, the first message fails: its count is the calls made, nothing more
        JsonNode first = Json.parse(handler.handle(SyncRequests.call(item, null)).body());
        Message stored = env.readAll(LocalPipeline.DATA, first.get("partition").asText()).stream()
                .filter(x -> x.getOffset() == first.get("offset").asLong()).findFirst().orElseThrow();
        int before = env.readAll(LocalPipeline.SERVICE_UNAVAILABLE).size();
        stack.pipeline().process(List.of(InboundMessage.accepted("owned", stored.getValue(),
                new Source(LocalPipeline.DATA, first.get("partition").asText(), stored.getOffset()))),
                Deadline.in(Duration.ofSeconds(30)), stack.defaultRoutes(), null);
        JsonNode envelope = Json.parse(env.readAll(LocalPipeline.SERVICE_UNAVAILABLE).get(before).getValue());
        assertEquals(2, envelope.get("deliveryAttempts").asLong());
        assertEquals(stored.getOffset().longValue(), envelope.get("source").get("offset").asLong());
        assertArrayEquals(payload.getBytes(StandardCharsets.UTF_8), env.target().received(path).get(0).body());
    }
}
