package dev.datasync.localoci.streaming;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.localoci.http.Json;
import dev.datasync.localoci.http.OciException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes the two hot answers — GetMessages (a JSON array of {@link Message}) and PutMessages
 * ({@link com.oracle.bmc.streaming.model.PutMessagesResult}) — directly with a JsonGenerator. The SDK mapper's
 * explicitly-set filter costs ~10 µs per object, the biggest server-side cost of both calls. The output is
 * byte-for-byte what {@code Json.write(...)} produces for the SDK models — {@code StreamingJsonTest} holds it
 * to that, so the wire format cannot drift from the SDK. For the same reason PutMessages bodies are read with a
 * streaming parser and the JDK's (intrinsified) base64 decoder instead of Jackson's char-by-char one; the test
 * holds the result equal to what the SDK mapper reads into {@code PutMessagesDetails}.
 */
final class StreamingJson {
    /** The SDK's RFC 3339 format with milliseconds, UTC. */
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private StreamingJson() {}

    static byte[] messages(String streamName, List<MessageLog.Stored> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + messages.size() * 1500);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartArray();
            for (MessageLog.Stored m : messages) {
                g.writeStartObject();
                g.writeStringField("stream", streamName);
                g.writeStringField("partition", String.valueOf(m.partition()));
                if (m.key() == null) {
                    g.writeNullField("key");
                } else {
                    g.writeFieldName("key");
                    g.writeBinary(m.key());
                }
                g.writeFieldName("value");
                g.writeBinary(m.value());
                g.writeNumberField("offset", m.offset());
                g.writeStringField("timestamp", RFC3339.format(Instant.ofEpochMilli(m.timestamp())));
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One PutMessages result entry: stored at (partition, offset) or failed with an error code. */
    record PutOutcome(int partition, long offset, String error, String errorMessage) {}

    static byte[] putResult(int failures, List<PutOutcome> entries, long timestamp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + entries.size() * 80);
        String time = RFC3339.format(Instant.ofEpochMilli(timestamp));
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("failures", failures);
            g.writeArrayFieldStart("entries");
            for (PutOutcome e : entries) {
                g.writeStartObject();
                if (e.error() == null) {
                    g.writeStringField("partition", String.valueOf(e.partition()));
                    g.writeNumberField("offset", e.offset());
                    g.writeStringField("timestamp", time);
                } else {
                    g.writeStringField("error", e.error());
                    g.writeStringField("errorMessage", e.errorMessage());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One entry of a PutMessages body; {@code key} and {@code value} are decoded bytes (null when absent). */
    record PutEntry(byte[] key, byte[] value) {}

    /**
     * Reads {@code {"messages":[{"key":"<b64>","value":"<b64>"}, ...]}}; unknown fields are ignored, as the SDK
     * mapper does. Returns null for an absent or null {@code messages}. Malformed JSON or base64 → 400.
     */
    static List<PutEntry> readPutMessages(byte[] body) {
        if (body.length == 0) {
            throw OciException.missingParameter("Request body is required");
        }
        try (JsonParser p = Json.mapper().getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw OciException.invalidParameter("Request body must be a PutMessagesDetails object");
            }
            List<PutEntry> entries = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!"messages".equals(field)) {
                    p.skipChildren();
                } else if (t == JsonToken.VALUE_NULL) {
                    entries = null;
                } else if (t == JsonToken.START_ARRAY) {
                    entries = readEntries(p);
                } else {
                    throw OciException.invalidParameter("messages must be an array");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw OciException.invalidParameter("Request body is not valid JSON");
            }
            return entries;
        } catch (IOException e) {
            throw OciException.invalidParameter("Request body is not valid JSON");
        }
    }

    private static List<PutEntry> readEntries(JsonParser p) throws IOException {
        List<PutEntry> entries = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_NULL) {
                entries.add(null);
                continue;
            }
            if (t != JsonToken.START_OBJECT) {
                throw OciException.invalidParameter("messages[" + entries.size() + "] must be an object");
            }
            byte[] key = null;
            byte[] value = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if ("key".equals(field)) {
                    key = base64(p, v, entries.size(), field);
                } else if ("value".equals(field)) {
                    value = base64(p, v, entries.size(), field);
                } else {
                    p.skipChildren();
                }
            }
            entries.add(new PutEntry(key, value));
        }
        return entries;
    }

    private static byte[] base64(JsonParser p, JsonToken token, int index, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw OciException.invalidParameter("messages[" + index + "]." + field + " must be a base64 string");
        }
        try {
            return Base64.getDecoder().decode(p.getText());
        } catch (IllegalArgumentException e) {
            throw OciException.invalidParameter("messages[" + index + "]." + field + " is not valid base64");
        }
    }
}
