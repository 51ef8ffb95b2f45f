package dev.datasync.shared.routing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.config.SyncLimits;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.json.Json;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** The envelope's own fields stay within the headroom {@link SyncLimits} keeps below OCI's message limit. */
public class RoutedEnvelopeTest {

    private static final Instant LATEST = Instant.MAX;

    private static JsonNode original() throws Exception {
        return Json.parse(("{\"targetRestApi\":\"https://orders.example.com/x\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"d\":\"" + "x".repeat(10_000) + "\"},\"targetRestApiHeaders\":[],"
                + "\"syncId\":\"s-1\",\"receivedAt\":\"2026-11-25T06:00:00Z\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** Texts made of control characters: each one is written as a six-byte unicode escape, the worst case. */
    private static String worst(int chars) {
        return "\u0001".repeat(chars);
    }

    /** Issue 9: the envelope keeps the message's source id, and adds only fields a sync request can never set. */
    @Test
    public void theEnvelopeKeepsTheSourceIdAndAddsOnlyPipelineOwnedFields() throws Exception {
        ObjectNode original = (ObjectNode) original();
        original.put("sourceId", "orders-app");
        DeliveryOutcome outcome = DeliveryOutcome.failed(1, Failure.of(FailureKind.INVALID, "no"), LATEST);
        Source source = new Source("DataSyncStream", "0", 5L);
        ObjectNode env = RoutedEnvelope.build(original, null, outcome, source);
        assertEquals("orders-app", env.get("sourceId").asText());
        ObjectNode capped = RoutedEnvelope.capped(original, new byte[]{1, 2}, null, outcome, source);
        assertEquals("orders-app", capped.get("sourceId").asText());

        java.util.Set<String> added = new java.util.TreeSet<>();
        env.fieldNames().forEachRemaining(added::add);
        capped.fieldNames().forEachRemaining(added::add);
        RoutedEnvelope.build(Json.parse("[1]".getBytes(StandardCharsets.UTF_8)), "AAAA", outcome, source)
                .fieldNames().forEachRemaining(added::add);
        original.fieldNames().forEachRemaining(added::remove);
        assertTrue(added.toString(), dev.datasync.shared.contract.PipelineFields.ALL.containsAll(added));
    }

    @Test
    public void addedFieldsNeverExceedTheirBoundWhateverTheReasonAndSource() throws Exception {
        JsonNode original = original();
        int originalBytes = Json.toBytes(original).length;
        DeliveryOutcome outcome = DeliveryOutcome.failed(Integer.MAX_VALUE, Failure.of(FailureKind.INVALID, worst(100_000)), LATEST);
        Source source = new Source(worst(50_000), worst(50_000), Long.MIN_VALUE);

        ObjectNode env = RoutedEnvelope.build(original, null, outcome, source);

        int added = Json.toBytes(env).length - originalBytes;
        assertTrue("added " + added + " > " + RoutedEnvelope.MAX_ADDED_BYTES, added <= RoutedEnvelope.MAX_ADDED_BYTES);
        assertTrue(env.get("lastError").get("reason").asText().endsWith(RoutedEnvelope.CUT));
        assertEquals(RoutedEnvelope.MAX_REASON_CHARS + RoutedEnvelope.CUT.length(),
                env.get("lastError").get("reason").asText().length());
    }

    @Test
    public void aHeldAndDeadLetteredEnvelopeStaysWithinTheBoundAndAReplayDropsAStaleHeldBehind() throws Exception {
        JsonNode original = original();
        int originalBytes = Json.toBytes(original).length;
        DeliveryOutcome outcome = DeliveryOutcome.failed(Integer.MAX_VALUE, Failure.of(FailureKind.INVALID, worst(100_000)), LATEST);
        Source source = new Source(worst(50_000), worst(50_000), Long.MIN_VALUE);

        ObjectNode env = RoutedEnvelope.build(original, null, outcome, source);
        RoutedEnvelope.heldBehind(env, worst(10_000));
        RoutedEnvelope.deadLetteredWithBlocker(env, LATEST);

        int added = Json.toBytes(env).length - originalBytes;
        assertTrue("added " + added + " > " + RoutedEnvelope.MAX_ADDED_BYTES, added <= RoutedEnvelope.MAX_ADDED_BYTES);
        assertEquals(RoutedEnvelope.CAPPED_SYNC_ID_CHARS + RoutedEnvelope.CUT.length(),
                env.get("heldBehind").asText().length());
        assertEquals("blockerDeadLettered", env.get("deadLetterReason").asText());
        assertEquals(LATEST.toString(), env.get("deadLetteredAt").asText());
        // replayed and no longer held: the envelope does not keep the old blocker
        assertFalse(RoutedEnvelope.build(env, null, outcome, source).has("heldBehind"));
    }

    @Test
    public void aCappedEnvelopeFitsWhateverTheValueReasonAndSource() throws Exception {
        DeliveryOutcome outcome = DeliveryOutcome.failed(Integer.MAX_VALUE, Failure.of(FailureKind.INVALID, worst(100_000)), LATEST);
        Source source = new Source(worst(50_000), worst(50_000), Long.MIN_VALUE);
        String key = "k".repeat(256);
        ObjectNode original = (ObjectNode) Json.parse("{\"syncId\":\"s\",\"deliveryAttempts\":7}"
                .getBytes(StandardCharsets.UTF_8));
        original.put("syncId", worst(10_000));
        // worst text: every kept char written as a six-byte escape
        ObjectNode text = RoutedEnvelope.capped(original, null, worst(3_000_000), outcome, source);
        assertTrue(RoutedEnvelope.fits(key, Json.toBytes(text)));
        ObjectNode bytes = RoutedEnvelope.capped(null, new byte[5_000_000], null, outcome, source);
        assertTrue(RoutedEnvelope.fits(key, Json.toBytes(bytes)));
        assertEquals(5_000_000, bytes.get(RoutedEnvelope.VALUE_BYTES).asLong());
        assertEquals(RoutedEnvelope.CAPPED_SYNC_ID_CHARS + RoutedEnvelope.CUT.length(),
                text.get("syncId").asText().length());
        assertEquals(7L + Integer.MAX_VALUE, text.get("deliveryAttempts").asLong());
    }

    /** Issue 10: a count never wraps round to a negative or small number, whatever the message carried. */
    @Test
    public void theAttemptCountSaturatesAtTheLargestLongInsteadOfOverflowing() throws Exception {
        DeliveryOutcome outcome = DeliveryOutcome.failed(3, Failure.status(503, "HTTP 503"), LATEST);
        Source source = new Source("ocid1.stream.oc1.iad.unavailable", "0", 12L);
        String[][] cases = {
                {"9223372036854775807", String.valueOf(Long.MAX_VALUE)},
                {"9223372036854775806", String.valueOf(Long.MAX_VALUE)},
                {"18446744073709551621", String.valueOf(Long.MAX_VALUE)}, // 2^64 + 5: not 5 + 3
                {"1e30", String.valueOf(Long.MAX_VALUE)},
                {"-9223372036854775808", "3"},
                {"-18446744073709551621", "3"},
                {"\"9223372036854775807\"", "3"},
                {"{\"n\":1}", "3"},
                {"4", "7"},
        };
        for (String[] c : cases) {
            ObjectNode original = (ObjectNode) Json.parse(("{\"syncId\":\"s\",\"deliveryAttempts\":" + c[0] + "}")
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(c[0], Long.parseLong(c[1]), RoutedEnvelope.build(original, null, outcome, source)
                    .get("deliveryAttempts").asLong());
            assertEquals(c[0], Long.parseLong(c[1]), RoutedEnvelope.capped(original, new byte[1], null, outcome,
                    source).get("deliveryAttempts").asLong());
        }
    }

    /** Issue 10: the envelope writes the payload back as the exact text the caller sent. */
    @Test
    public void theEnvelopeCarriesThePayloadAsTheCallerSentIt() throws Exception {
        String payload = "{\"a\":12345678901234567.89,\"b\":1e400,\"c\":-0,\"d\":\"\\u00e9\\n\"}";
        JsonNode original = dev.datasync.shared.json.ExactJson.parse(("{\"syncId\":\"s\",\"targetRestApiPayload\":"
                + payload + "}").getBytes(StandardCharsets.UTF_8), "targetRestApiPayload");
        DeliveryOutcome outcome = DeliveryOutcome.failed(1, Failure.status(500, "HTTP 500"), LATEST);
        String env = new String(Json.toBytes(RoutedEnvelope.build(original, null, outcome,
                new Source("DataSyncStream", "0", 1L))), StandardCharsets.UTF_8);
        assertTrue(env, env.startsWith("{\"syncId\":\"s\",\"targetRestApiPayload\":" + payload + ","));
    }

    @Test
    public void theBoundAndALongestKeyFitInTheHeadroom() {
        assertTrue(RoutedEnvelope.MAX_ADDED_BYTES + 256 <= SyncLimits.ENVELOPE_HEADROOM_BYTES);
        assertEquals(1_048_576 - 16_384, SyncLimits.MAX_MESSAGE_BYTES);
    }

    @Test
    public void aReplayedEnvelopeReplacesItsFieldsInsteadOfGrowing() throws Exception {
        DeliveryOutcome outcome = DeliveryOutcome.failed(3, Failure.status(503, "HTTP 503"), Instant.parse("2026-11-25T06:00:01Z"));
        Source source = new Source("ocid1.stream.oc1.iad.unavailable", "0", 12L);
        ObjectNode once = RoutedEnvelope.build(original(), null, outcome, source);
        ObjectNode twice = RoutedEnvelope.build(once, null, outcome, source);
        // only deliveryAttempts changes (3 → 6): same length
        assertEquals(Json.toBytes(once).length, Json.toBytes(twice).length);
        assertEquals(6, twice.get("deliveryAttempts").asInt());
    }

    @Test
    public void shortTextsAreKeptAndACutNeverSplitsASurrogatePair() {
        assertEquals("HTTP 400", RoutedEnvelope.cut("HTTP 400", 512));
        assertEquals(null, RoutedEnvelope.cut(null, 512));
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        String cut = RoutedEnvelope.cut("a" + emoji + "bcd", 2);
        assertEquals("a" + RoutedEnvelope.CUT, cut);
        assertEquals("a" + emoji + RoutedEnvelope.CUT, RoutedEnvelope.cut("a" + emoji + "bcd", 3));
    }

    /** Ten calls in their longest form: the earliest and latest instants, the longest kind, the largest latency. */
    private static java.util.List<dev.datasync.shared.delivery.internal.AttemptRecord> longestCalls() {
        java.util.List<dev.datasync.shared.delivery.internal.AttemptRecord> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(new dev.datasync.shared.delivery.internal.AttemptRecord(i % 2 == 0 ? Instant.MIN : Instant.MAX,
                    null, "circuitOpen".repeat(3), Long.MAX_VALUE));
        }
        return calls;
    }

    @Test
    public void theRedrivesFieldsStayWithinTheBoundToo() throws Exception {
        JsonNode original = original();
        int originalBytes = Json.toBytes(original).length;
        DeliveryOutcome outcome = DeliveryOutcome.failed(Integer.MAX_VALUE, Failure.of(FailureKind.INVALID,
                worst(100_000)), LATEST).withCalls(longestCalls());
        Source source = new Source(worst(50_000), worst(50_000), Long.MIN_VALUE);

        ObjectNode env = RoutedEnvelope.build(original, null, outcome, source);
        // what a stamp adds on top: the longest timestamps, count and reason
        env.put("nextAttemptAt", Instant.MIN.toString());
        env.put("redriveCount", Integer.MAX_VALUE);
        env.put("deadLetterReason", "blockerDeadLettered");
        env.put("deadLetteredAt", Instant.MIN.toString());
        env.put("firstFailedAt", Instant.MIN.toString());

        assertEquals(RoutedEnvelope.MAX_ATTEMPTS, env.get("attempts").size());
        int added = Json.toBytes(env).length - originalBytes;
        assertTrue("added " + added + " > " + RoutedEnvelope.MAX_ADDED_BYTES, added <= RoutedEnvelope.MAX_ADDED_BYTES);
    }

    @Test
    public void attemptsKeepTheLastTenWithLatencyAndFirstFailedAtIsKept() throws Exception {
        Instant t0 = Instant.parse("2026-11-25T06:00:00Z");
        java.util.List<dev.datasync.shared.delivery.internal.AttemptRecord> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(dev.datasync.shared.delivery.internal.AttemptRecord.answered(t0.plusSeconds(i), 503, 10 + i));
        }
        Source source = new Source("DataSyncStream", "0", 1L);
        ObjectNode env = RoutedEnvelope.build(original(), null,
                DeliveryOutcome.failed(4, Failure.status(503, "HTTP 503"), t0.plusSeconds(5)).withCalls(calls), source);
        assertEquals(t0.toString(), env.get("firstFailedAt").asText());
        assertEquals(4, env.get("attempts").size());
        assertEquals(13, env.get("attempts").get(3).get("latencyMs").asLong());
        for (int round = 1; round <= 3; round++) {
            java.util.List<dev.datasync.shared.delivery.internal.AttemptRecord> later = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                later.add(dev.datasync.shared.delivery.internal.AttemptRecord.unanswered(
                        t0.plusSeconds(100L * round + i), Failure.of(FailureKind.TIMEOUT, "time-out"), 2000));
            }
            env = RoutedEnvelope.build(env, null, DeliveryOutcome.failed(4, Failure.of(FailureKind.TIMEOUT, "t"),
                    t0.plusSeconds(100L * round + 5)).withCalls(later), source);
        }
        assertEquals("set at the first failure, kept", t0.toString(), env.get("firstFailedAt").asText());
        assertEquals(RoutedEnvelope.MAX_ATTEMPTS, env.get("attempts").size());
        JsonNode last = env.get("attempts").get(RoutedEnvelope.MAX_ATTEMPTS - 1);
        assertEquals("timeout", last.get("kind").asText());
        assertEquals(t0.plusSeconds(303).toString(), last.get("at").asText());
        assertEquals(16, env.get("deliveryAttempts").asInt());
    }

    @Test
    public void aMessageLeavingTheDeadLetterStreamStartsItsRedriveOver() throws Exception {
        ObjectNode dead = (ObjectNode) original();
        dead.put("firstFailedAt", "2026-11-01T00:00:00Z");
        dead.put("redriveCount", 7);
        dead.put("deadLetterReason", "scheduleExhausted");
        dead.put("deadLetteredAt", "2026-11-02T00:00:00Z");
        Instant now = Instant.parse("2026-11-25T06:00:00Z");
        ObjectNode env = RoutedEnvelope.build(dead, null, DeliveryOutcome.failed(0, Failure.status(503, "HTTP 503"),
                now), new Source("ocid1.stream.oc1.iad.deadletter", "0", 3L));
        assertEquals(now.toString(), env.get("firstFailedAt").asText());
        assertTrue(env.toString(), !env.has("redriveCount") && !env.has("deadLetterReason")
                && !env.has("deadLetteredAt"));
    }
}
