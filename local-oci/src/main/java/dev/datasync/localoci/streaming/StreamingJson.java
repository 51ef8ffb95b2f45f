package dev.datasync.localoci.streaming;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.localoci.http.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes the two hot answers — GetMessages (a JSON array of {@link Message}) and PutMessages
 * ({@link com.oracle.bmc.streaming.model.PutMessagesResult}) — directly with a JsonGenerator. The SDK mapper's
 * explicitly-set filter costs ~10 µs per object, the biggest server-side cost of both calls. The output is
 * byte-for-byte what {@code Json.write(...)} produces for the SDK models — {@code StreamingJsonTest} holds it
 * to that, so the wire format cannot drift from the SDK.
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
}
