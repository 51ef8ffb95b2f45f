package dev.datasync.localoci.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.serialization.jackson.JacksonSerializer;

/**
 * The one ObjectMapper of the emulator: the OCI SDK's own default mapper (RFC 3339 dates with
 * milliseconds, explicitly-set-field filter, unknown properties ignored). Using the SDK's mapper and its
 * model classes means the field names and formats on the wire cannot drift from what the clients expect.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JacksonSerializer.getDefaultObjectMapper();

    private Json() {}

    public static ObjectMapper mapper() { return MAPPER; }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }
}
