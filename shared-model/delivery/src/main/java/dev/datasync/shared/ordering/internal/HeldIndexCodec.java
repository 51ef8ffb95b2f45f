package dev.datasync.shared.ordering.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The held index as stored: {@code {"streams":[ocid…], "keys":{id:{"stream":n, "queue":[syncId…],
 * "deadLettered":[syncId…], "deadBehind":syncId}}}}. Stream OCIDs are written once and named by position, since
 * every key waits in one of a handful of error streams; keys in name order, so equal indexes are equal bytes.
 */
public final class HeldIndexCodec {

    private HeldIndexCodec() {
    }

    public static byte[] encode(HeldIndex index) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode streams = root.putArray("streams");
        Map<String, Integer> streamNumbers = new HashMap<>();
        ObjectNode keys = root.putObject("keys");
        for (Map.Entry<String, HeldEntry> e : new TreeMap<>(index.keys()).entrySet()) {
            HeldEntry h = e.getValue();
            ObjectNode entry = keys.putObject(e.getKey());
            if (h.stream() != null) {
                Integer n = streamNumbers.get(h.stream());
                if (n == null) {
                    n = streamNumbers.size();
                    streamNumbers.put(h.stream(), n);
                    streams.add(h.stream());
                }
                entry.put("stream", n);
            }
            if (!h.queue().isEmpty()) {
                h.queue().forEach(entry.putArray("queue")::add);
            }
            if (!h.deadLettered().isEmpty()) {
                h.deadLettered().forEach(entry.putArray("deadLettered")::add);
                entry.put("deadBehind", h.deadBehind());
            }
        }
        return Json.toBytes(root);
    }

    /** @throws IllegalArgumentException when the bytes are not a held index */
    public static HeldIndex decode(byte[] body) {
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the held index is not JSON");
        }
        if (root == null || !root.path("keys").isObject() || !root.path("streams").isArray()) {
            throw new IllegalArgumentException("the held index has no keys or streams");
        }
        List<String> streams = new ArrayList<>();
        root.get("streams").forEach(s -> streams.add(s.asText()));
        Map<String, HeldEntry> keys = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("keys").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode entry = e.getValue();
            JsonNode n = entry.get("stream");
            String stream = null;
            if (n != null) {
                if (!n.canConvertToInt() || n.asInt() < 0 || n.asInt() >= streams.size()) {
                    throw new IllegalArgumentException("a held key names a stream the index does not list");
                }
                stream = streams.get(n.asInt());
            }
            HeldEntry h = new HeldEntry(stream, texts(entry.get("queue")), texts(entry.get("deadLettered")),
                    entry.path("deadBehind").isTextual() ? entry.get("deadBehind").asText() : null);
            if (!h.isEmpty()) {
                keys.put(e.getKey(), h);
            }
        }
        return new HeldIndex(keys);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(t -> out.add(t.asText()));
        }
        return out;
    }
}
