package dev.datasync.shared.routing.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.json.Json;

import java.io.IOException;

/**
 * The {@code sourceId} of a stream message or envelope, read before the batch is decoded: a key's order is kept per
 * (sourceId, streamKey), so the engine's lanes need it before any worker decodes its message. A streaming scan of
 * the top-level fields (nested values are skipped, nothing is built), so it costs a fraction of the decode.
 */
public final class SourceIdPeek {

    private SourceIdPeek() {
    }

    /** The top-level {@code sourceId} text, or null when there is none or the value is not a JSON object. */
    public static String of(byte[] value) {
        if (value == null) {
            return null;
        }
        try (JsonParser p = Json.mapper().getFactory().createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (StreamMessage.SOURCE_ID.equals(name)) {
                    return v == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null; // not JSON: the decode will say so; a keyless lane of its own is what it gets
        }
    }
}
