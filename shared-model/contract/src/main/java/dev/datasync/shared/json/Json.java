package dev.datasync.shared.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one ObjectMapper of the project. ObjectMapper is thread-safe and expensive to build, so every class
 * shares this instance instead of creating its own per message.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // receivedAt and other instants travel as RFC 3339 strings, like OCI's own timestamps
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // the public contract may gain optional fields; readers must not break on them
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // a body with the same field twice is ambiguous: refuse it rather than silently pick one
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // a body is ONE value: '{"a":1} }x' is malformed, not '{"a":1}' with the rest silently ignored
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        // bodies are bounded by the gateway/function limits already; keep Jackson's nesting guard tight
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses JSON text that must be exactly one value (whitespace around it is fine, further tokens are not); throws
     * {@link JsonProcessingException} (a checked IOException) for malformed input.
     */
    public static JsonNode parse(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toText(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
