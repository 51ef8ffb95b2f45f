package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.fn.DeliveryStack;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.routing.internal.RoutedEnvelope;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Deliver + route through the real SDK against local-oci and a real local target. */
public class BatchPipelineLocalOciTest {

    private static LocalPipeline env;
    private static DeliveryStack stack;
    private static final ConcurrentLinkedQueue<String> logLines = new ConcurrentLinkedQueue<>();

    @BeforeClass
    public static void start() {
        env = LocalPipeline.start();
        Map<String, String> config = env.config();
        config.put("error_routing", "404=" + env.stream(LocalPipeline.DEFAULT));
        // the rest of a key ends with a blocker that ends (400): the default, release, would try it after the 400
        config.put("held_on_dead_letter", "deadLetter");
        stack = new DeliveryStack(DataSyncConfig.from(config),
                new dev.datasync.shared.oci.OciClients(DataSyncConfig.from(config).oci()), Clock.systemUTC(),
                JsonLog.to(logLines::add, Clock.systemUTC()));
    }

    @AfterClass
    public static void stop() {
        stack.close();
        env.close();
    }

    @After
    public void noSecretsLogged() {
        env.oci().faults().clear();
        for (String line : logLines) {
            assertFalse(line, line.contains("orderid"));
        }
    }

    private static byte[] message(String path, String syncId) {
        return ("{\"targetRestApi\":\"" + env.target().baseUrl() + path + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"orderid\":\"18jan\"},\"syncId\":\"" + syncId + "\","
                + "\"receivedAt\":\"2026-11-25T06:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> linesAbout(String syncId) {
        return logLines.stream().filter(l -> l.contains("\"" + syncId + "\"")).toList();
    }

    private static List<Message> newSince(String stream, int before) {
        List<Message> all = env.readAll(stream);
        return all.subList(before, all.size());
    }

    @Test
    public void everyMessageEndsDeliveredOrInTheErrorStreamItsOutcomeMapsTo() throws Exception {
        String p = "/mixed-" + System.nanoTime();
        env.target().byDefault(p + "/ok", Reply.status(201));
        env.target().byDefault(p + "/missing", Reply.status(404));
        env.target().byDefault(p + "/bad", Reply.status(400));
        env.target().byDefault(p + "/down", Reply.status(503));
        env.target().byDefault(p + "/boom", Reply.status(500));
        env.target().byDefault(p + "/moved", Reply.status(301));
        Map<String, Integer> before = counts();

        List<InboundMessage> batch = List.of(
                InboundMessage.decoded("k1", message(p + "/ok", "s-ok"), new Source("DataSyncStream", "0", 10L)),
                InboundMessage.decoded(null, message(p + "/missing", "s-404"), new Source("DataSyncStream", "0", 11L)),
                InboundMessage.decoded(null, message(p + "/bad", "s-400"), new Source("DataSyncStream", "0", 12L)),
                InboundMessage.decoded("k2", message(p + "/down", "s-503"), new Source("DataSyncStream", "1", 13L)),
                InboundMessage.decoded(null, message(p + "/boom", "s-500"), new Source("DataSyncStream", "0", 14L)),
                InboundMessage.decoded(null, message(p + "/moved", "s-301"), new Source("DataSyncStream", "0", 15L)),
                InboundMessage.decoded("k3", "not json".getBytes(StandardCharsets.UTF_8),
                        new Source("DataSyncStream", "0", 16L)),
                InboundMessage.undecodable(null, "%%%", "message value is not base64",
                        new Source("DataSyncStream", "0", 17L)));
        BatchReport report = stack.pipeline().process(batch, Deadline.in(Duration.ofSeconds(20)),
                stack.defaultRoutes(), null);

        assertEquals(1, report.delivered());
        assertEquals(7, report.routed());
        List<Message> unrecoverable = newSince(LocalPipeline.UNRECOVERABLE, before.get(LocalPipeline.UNRECOVERABLE));
        List<Message> unavailable = newSince(LocalPipeline.SERVICE_UNAVAILABLE,
                before.get(LocalPipeline.SERVICE_UNAVAILABLE));
        List<Message> internal = newSince(LocalPipeline.INTERNAL_SERVER, before.get(LocalPipeline.INTERNAL_SERVER));
        List<Message> dflt = newSince(LocalPipeline.DEFAULT, before.get(LocalPipeline.DEFAULT));
        assertEquals(3, unrecoverable.size()); // 400, not-JSON, not-base64
        assertEquals(1, unavailable.size());
        assertEquals(1, internal.size());
        assertEquals(2, dflt.size()); // 404 (error_routing) and 301

        // the 503 one: decoded original + attempts + lastError + source, original key
        Message m503 = unavailable.get(0);
        assertEquals("k2", new String(m503.getKey(), StandardCharsets.UTF_8));
        JsonNode env503 = Json.parse(m503.getValue());
        assertEquals("s-503", env503.get("syncId").asText());
        assertEquals("18jan", env503.get("targetRestApiPayload").get("orderid").asText());
        assertEquals(4, env503.get("deliveryAttempts").asInt());
        assertEquals(503, env503.get("lastError").get("status").asInt());
        assertTrue(env503.get("lastError").has("at"));
        assertEquals("DataSyncStream", env503.get("source").get("stream").asText());
        assertEquals("1", env503.get("source").get("partition").asText());
        assertEquals(13, env503.get("source").get("offset").asLong());

        // a null key stays null, never the string "null"
        Message m404 = dflt.get(0);
        assertNull(m404.getKey());
        assertEquals(404, Json.parse(m404.getValue()).get("lastError").get("status").asInt());

        JsonNode notJson = Json.parse(unrecoverable.get(1).getValue());
        assertEquals("invalid", notJson.get("lastError").get("kind").asText());
        assertEquals("not json", new String(java.util.Base64.getDecoder()
                .decode(notJson.get("undecodableValue").asText()), StandardCharsets.UTF_8));
        JsonNode notB64 = Json.parse(unrecoverable.get(2).getValue());
        assertEquals("%%%", notB64.get("undecodableValue").asText());
        assertTrue(notB64.get("lastError").get("reason").asText().contains("base64"));
    }

    @Test
    public void heldBackMessagesFollowTheirBlockerButSayTheyWereNeverSent() throws Exception {
        String p = "/heldback-" + System.nanoTime();
        env.target().script(p, Reply.status(400));
        int before = env.readAll(LocalPipeline.UNRECOVERABLE).size();
        List<InboundMessage> batch = List.of(
                InboundMessage.decoded("hk", message(p, "hb-1"), new Source("DataSyncStream", "0", 20L)),
                InboundMessage.decoded("hk", message(p, "hb-2"), new Source("DataSyncStream", "0", 21L)),
                InboundMessage.decoded("hk", message(p, "hb-3"), new Source("DataSyncStream", "0", 22L)));
        BatchReport report = stack.pipeline().process(batch, Deadline.in(Duration.ofSeconds(10)),
                stack.defaultRoutes(), null);
        assertEquals(3, report.routed());
        assertEquals(1, env.target().received(p).size());

        // all three in the blocker's stream (400 → unrecoverable), in key order
        List<Message> routed = newSince(LocalPipeline.UNRECOVERABLE, before);
        assertEquals(3, routed.size());
        JsonNode blocker = Json.parse(routed.get(0).getValue());
        assertEquals("hb-1", blocker.get("syncId").asText());
        assertEquals(400, blocker.get("lastError").get("status").asInt());
        assertEquals(1, blocker.get("deliveryAttempts").asInt());
        for (int i = 1; i < 3; i++) {
            JsonNode held = Json.parse(routed.get(i).getValue());
            assertEquals("hb-" + (i + 1), held.get("syncId").asText());
            assertEquals("hk", new String(routed.get(i).getKey(), StandardCharsets.UTF_8));
            JsonNode lastError = held.get("lastError");
            assertFalse("a message never sent must not look like a real 400: " + lastError, lastError.has("status"));
            assertEquals("heldBack", lastError.get("kind").asText());
            assertTrue(lastError.get("reason").asText(), lastError.get("reason").asText().contains("syncId hb-1"));
            assertEquals(0, held.get("deliveryAttempts").asInt());
        }
    }

    /** ~1 MB that is not JSON (OCI's message limit is 1 MiB; base64 in the envelope would make it ~1.33 MB). */
    private static byte[] poison(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        b[0] = '<'; // not JSON
        return b;
    }

    @Test
    public void aPoisonValueTooLargeForItsEnvelopeIsRoutedCappedWithItsHash() throws Exception {
        byte[] value = poison(1_000_000);
        String huge = "%" + "z".repeat(1_100_000); // received text that is not even base64
        int before = env.readAll(LocalPipeline.UNRECOVERABLE).size();
        BatchReport report = stack.pipeline().process(List.of(
                        InboundMessage.decoded("pk", value, new Source("DataSyncStream", "0", 30L)),
                        InboundMessage.undecodable(null, huge, "message value is not base64",
                                new Source("DataSyncStream", "0", 31L)),
                        InboundMessage.decoded(null, "also not json".getBytes(StandardCharsets.UTF_8),
                                new Source("DataSyncStream", "0", 32L))),
                Deadline.in(Duration.ofSeconds(10)), stack.defaultRoutes(), null);
        assertEquals(3, report.routed());

        List<Message> routed = newSince(LocalPipeline.UNRECOVERABLE, before);
        assertEquals(3, routed.size());
        Message first = routed.get(0);
        assertTrue(first.getValue().length <= 1024 * 1024);
        assertEquals("pk", new String(first.getKey(), StandardCharsets.UTF_8));
        JsonNode capped = Json.parse(first.getValue());
        assertEquals("invalid", capped.get("lastError").get("kind").asText());
        assertTrue(capped.get(RoutedEnvelope.UNDECODABLE_VALUE_TRUNCATED).asBoolean());
        assertEquals(1_000_000, capped.get(RoutedEnvelope.VALUE_BYTES).asLong());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(value)), capped.get(RoutedEnvelope.VALUE_SHA256).asText());
        byte[] prefix = java.util.Base64.getDecoder().decode(capped.get("undecodableValue").asText());
        assertEquals(RoutedEnvelope.CAPPED_PREFIX_BYTES, prefix.length);
        assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOf(value, prefix.length), prefix));
        assertEquals(30, capped.get("source").get("offset").asLong()); // where the whole value still is

        JsonNode text = Json.parse(routed.get(1).getValue());
        assertEquals(RoutedEnvelope.CAPPED_PREFIX_CHARS, text.get("undecodableValue").asText().length());
        assertEquals(huge.length(), text.get(RoutedEnvelope.VALUE_BYTES).asLong());
        // a small poison value is still kept whole
        JsonNode small = Json.parse(routed.get(2).getValue());
        assertFalse(small.has(RoutedEnvelope.UNDECODABLE_VALUE_TRUNCATED));
        assertEquals("also not json", new String(java.util.Base64.getDecoder()
                .decode(small.get("undecodableValue").asText()), StandardCharsets.UTF_8));
    }

    @Test
    public void aReplayedEnvelopeIsParsedAgainAndItsAttemptsAccumulate() throws Exception {
        String p = "/replay-" + System.nanoTime();
        env.target().byDefault(p, Reply.status(400));
        int before = env.readAll(LocalPipeline.UNRECOVERABLE).size();
        BatchReport firstRun = stack.pipeline().process(List.of(InboundMessage.decoded(null, message(p, "s-r"),
                new Source("D", "0", 1L))), Deadline.in(Duration.ofSeconds(10)), stack.defaultRoutes(), null);
        List<Message> routedFirst = newSince(LocalPipeline.UNRECOVERABLE, before);
        // a failure here says where it went instead (e.g. a time-out on an overloaded machine routes it elsewhere)
        assertEquals("routed to " + firstRun.appendedTo() + "; its log: " + linesAbout("s-r"), 1, routedFirst.size());
        Message first = routedFirst.get(0);
        // replay exactly what was routed
        stack.pipeline().process(List.of(InboundMessage.decoded(null, first.getValue(),
                        new Source(env.stream(LocalPipeline.UNRECOVERABLE), "0", first.getOffset()))),
                Deadline.in(Duration.ofSeconds(10)), stack.defaultRoutes(), null);
        List<Message> routed = newSince(LocalPipeline.UNRECOVERABLE, before);
        assertEquals(2, routed.size());
        JsonNode again = Json.parse(routed.get(1).getValue());
        assertEquals("s-r", again.get("syncId").asText());
        assertEquals(2, again.get("deliveryAttempts").asInt());
        assertEquals(first.getOffset().longValue(), again.get("source").get("offset").asLong());
        assertEquals(2, env.target().received(p).size());
        for (var r : env.target().received(p)) {
            assertEquals("s-r", r.header("Idempotency-Key"));
        }
    }

    @Test
    public void whenAnErrorStreamRefusesTheEntriesTheBatchFails() {
        String p = "/unplaceable-" + System.nanoTime();
        env.target().byDefault(p, Reply.status(400));
        env.oci().faults().set("PutMessages", new FaultRule(null, null, null, 1.0));
        try {
            stack.pipeline().process(List.of(InboundMessage.decoded(null, message(p, "s-u"),
                    new Source("D", "0", 1L))), Deadline.in(Duration.ofSeconds(10)), stack.defaultRoutes(), null);
            fail("a message that could not be routed must fail the batch");
        } catch (RoutingFailedException expected) {
            assertTrue(expected.getMessage().contains("1 of 1"));
        }
    }

    @Test
    public void leftInPlaceFailuresAreNotAppendedAgain() {
        String p = "/inplace-" + System.nanoTime();
        env.target().byDefault(p, Reply.status(503));
        int before = env.readAll(LocalPipeline.SERVICE_UNAVAILABLE).size();
        List<InboundMessage> batch = new ArrayList<>();
        batch.add(InboundMessage.decoded(null, message(p, "s-ip"), new Source("x", "0", 1L)));
        BatchReport r = stack.pipeline().process(batch, Deadline.in(Duration.ofSeconds(10)), stack.defaultRoutes(),
                env.stream(LocalPipeline.SERVICE_UNAVAILABLE));
        assertEquals(1, r.leftInPlace());
        assertEquals(0, r.routed());
        assertEquals(before, env.readAll(LocalPipeline.SERVICE_UNAVAILABLE).size());
    }

    private static Map<String, Integer> counts() {
        Map<String, Integer> m = new java.util.HashMap<>();
        env.errorStreams().forEach((k, v) -> m.put(k, v.size()));
        return m;
    }
}
