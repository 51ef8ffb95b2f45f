package dev.datasync.localoci.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers. The server adds {@code opc-request-id}; JSON bodies get
 * {@code Content-Type: application/json} exactly (the SDK compares it literally, e.g. for GetNamespace).
 */
public record Response(int status, Map<String, String> headers, byte[] body) {

    public static final String JSON = "application/json";

    public static Response json(Object model) {
        return json(200, model);
    }

    public static Response json(int status, Object model) {
        return new Response(status, new LinkedHashMap<>(Map.of("Content-Type", JSON)), Json.write(model));
    }

    /** Raw bytes with a content type of the handler's choosing (Object Storage GetObject). */
    public static Response bytes(int status, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return new Response(status, headers, body);
    }

    /** A status without a body (e.g. 204 on delete, 202 on DeleteStream). */
    public static Response empty(int status) {
        return new Response(status, new LinkedHashMap<>(), new byte[0]);
    }

    public static Response error(int status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return json(status, body);
    }

    /** Returns this response with one more header (headers map is owned by the response). */
    public Response header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** An independent copy (its own headers map), e.g. to answer a retry with a kept response. */
    public Response copy() {
        return new Response(status, new LinkedHashMap<>(headers), body.clone());
    }
}
