package dev.datasync.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.routing.InboundMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the body Service Connector Hub sends for a stream source: a JSON array of
 * {@code {stream, partition, key, value, offset, timestamp}} with base64 key and value, a key that may be null, and a
 * timestamp that is an RFC 3339 string or epoch milliseconds (the timestamp is not needed for delivery and is never
 * a reason to refuse an element). Nothing is dropped: an element that cannot be decoded becomes an
 * {@link InboundMessage#undecodable} message carrying what was received and why.
 */
final class SchBatchReader {

    private SchBatchReader() {
    }

    static List<InboundMessage> read(byte[] body) {
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (IOException e) {
            return List.of(wholeBody(body, "the batch is not JSON"));
        }
        if (root == null || !root.isArray()) {
            return List.of(wholeBody(body, "the batch is not a JSON array"));
        }
        List<InboundMessage> out = new ArrayList<>(root.size());
        for (JsonNode element : root) {
            out.add(element(element));
        }
        return out;
    }

    private static InboundMessage wholeBody(byte[] body, String problem) {
        return InboundMessage.undecodable(null, Base64.getEncoder().encodeToString(body), problem, null);
    }

    private static InboundMessage element(JsonNode e) {
        if (!e.isObject()) {
            return InboundMessage.undecodable(null, Base64.getEncoder().encodeToString(Json.toBytes(e)),
                    "batch element is not a JSON object", null);
        }
        Source source = new Source(text(e.get("stream")), text(e.get("partition")), offset(e.get("offset")));
        JsonNode k = e.get("key");
        String key = null;
        if (k != null && !k.isNull()) {
            byte[] kb = k.isTextual() ? base64(k.asText()) : null;
            if (kb == null) {
                return InboundMessage.undecodable(null, raw(e.get("value")), "message key is not base64", source);
            }
            key = new String(kb, StandardCharsets.UTF_8);
        }
        JsonNode v = e.get("value");
        if (v == null || v.isNull()) {
            return InboundMessage.undecodable(key, null, "message has no value", source);
        }
        byte[] value = v.isTextual() ? base64(v.asText()) : null;
        if (value == null) {
            return InboundMessage.undecodable(key, raw(v), "message value is not base64", source);
        }
        return InboundMessage.accepted(key, value, source);
    }

    private static String raw(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? v.asText() : Json.toText(v);
    }

    private static byte[] base64(String s) {
        try {
            return Base64.getDecoder().decode(s.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Offsets are longs; SCH writes them as numbers, some tools as strings. */
    private static Long offset(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        try {
            return Long.parseLong(n.asText().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
