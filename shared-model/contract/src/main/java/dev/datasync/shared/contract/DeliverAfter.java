package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.ConfigDurations;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code streamMessage.deliverAfter}: the RFC 3339 time (with its offset, e.g. {@code 2026-12-08T02:00:00Z} or
 * {@code 2026-12-08T03:00:00+01:00}) before which the message is not delivered. Optional; a time in the past is
 * delivered at once; at most {@code max_delivery_delay} ahead when it is accepted. The one place that reads it: the
 * validator (its form), the sync checker (how far ahead) and the delivery (whether it is due) all call this.
 */
public final class DeliverAfter {

    public static final String FIELD = "deliverAfter";

    private DeliverAfter() {
    }

    /**
     * The time a message's {@code deliverAfter} names, null when it has none.
     *
     * @throws IllegalArgumentException when the field is there but is not an RFC 3339 date-time with an offset
     */
    public static Instant of(JsonNode streamMessage) {
        return parse(streamMessage == null ? null : streamMessage.get(FIELD));
    }

    /** The time a validated message's {@code deliverAfter} names, null when it has none. */
    public static Instant of(StreamMessage message) {
        return parse(message.extra().get(FIELD));
    }

    private static Instant parse(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("deliverAfter must be a string");
        }
        try {
            return OffsetDateTime.parse(v.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("deliverAfter is not an RFC 3339 date-time with an offset (e.g. "
                    + "2026-12-08T02:00:00Z)");
        }
    }

    /** Why {@code at} is too far ahead of {@code now}, or null when it is within {@code most}. */
    public static String tooFar(Instant at, Instant now, Duration most) {
        if (at == null || !at.isAfter(now.plus(most))) {
            return null;
        }
        return "deliverAfter is more than " + ConfigDurations.format(most) + " (max_delivery_delay) ahead";
    }
}
