package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.json.Json;
import org.junit.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * {@code streamMessage.deliverAfter} in the contract's validation: RFC 3339 with an offset is read (and kept in the
 * message), anything else is 400 naming {@code streamMessage.deliverAfter}; how far ahead is checked against
 * {@code max_delivery_delay}.
 */
public class DeliverAfterTest {

    private static JsonNode message(String deliverAfter) {
        try {
            return Json.parse(("{\"targetRestApi\":\"https://orders.example.com/x\",\"targetRestApiOperation\":\"POST\""
                + (deliverAfter == null ? "" : ",\"deliverAfter\":" + deliverAfter) + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    public void rfc3339WithAnOffsetIsReadAndKept() {
        Validated<StreamMessage> v = StreamMessageValidator.validate(message("\"2026-12-08T03:00:00+01:00\""), false,
                "streamMessage");
        assertTrue(v.isOk());
        assertEquals(Instant.parse("2026-12-08T02:00:00Z"), DeliverAfter.of(v.value()));
        assertEquals("2026-12-08T03:00:00+01:00", v.value().toJson().get("deliverAfter").asText());
        assertEquals(Instant.parse("2026-12-08T02:00:00.5Z"),
                DeliverAfter.of(message("\"2026-12-08T02:00:00.5Z\"")));
        assertNull(DeliverAfter.of(StreamMessageValidator.validate(message(null), false, null).value()));
    }

    @Test
    public void anythingElseIs400NamingTheField() {
        for (String bad : new String[]{"\"2026-12-08T02:00:00\"", "\"2026-12-08\"", "\"tomorrow\"", "12",
                "{\"at\":\"2026-12-08T02:00:00Z\"}", "\"2026-13-08T02:00:00Z\""}) {
            Validated<StreamMessage> v = StreamMessageValidator.validate(message(bad), false, "streamMessage");
            assertNotNull(bad, v.error());
            assertEquals(bad, ErrorCodes.INVALID_FIELD, v.error().code());
            assertEquals(bad, "streamMessage.deliverAfter", v.error().field());
        }
    }

    @Test
    public void tooFarAheadIsSaidWithTheLimit() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        Duration most = Duration.ofHours(12);
        assertNull(DeliverAfter.tooFar(null, now, most));
        assertNull(DeliverAfter.tooFar(now.minusSeconds(3600), now, most));
        assertNull(DeliverAfter.tooFar(now.plus(most), now, most));
        assertTrue(DeliverAfter.tooFar(now.plus(most).plusSeconds(1), now, most).contains("12h"));
    }
}
