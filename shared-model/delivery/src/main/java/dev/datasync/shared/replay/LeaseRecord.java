package dev.datasync.shared.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.json.Json;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The body of a lease object, {@code {"holder":"replay-…","expiresAt":"2026-11-25T06:00:30Z"}}. The expiry is inside
 * the object because Object Storage lifecycle rules work in whole days.
 */
record LeaseRecord(String holder, Instant expiresAt) {

    byte[] toBytes() {
        return Json.toBytes(Json.mapper().createObjectNode().put("holder", holder).put("expiresAt",
                expiresAt.toString()));
    }

    /** The record, or null when {@code body} is not one (such a lease counts as expired). */
    static LeaseRecord parse(byte[] body) {
        try {
            JsonNode root = Json.parse(body);
            if (root == null) {
                return null;
            }
            JsonNode holder = root.path("holder");
            JsonNode expires = root.path("expiresAt");
            if (!holder.isTextual() || !expires.isTextual()) {
                return null;
            }
            return new LeaseRecord(holder.asText(), Instant.parse(expires.asText()));
        } catch (IOException | DateTimeException e) {
            return null;
        }
    }
}
