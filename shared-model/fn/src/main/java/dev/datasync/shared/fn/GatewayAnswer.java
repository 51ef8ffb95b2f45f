package dev.datasync.shared.fn;

import dev.datasync.shared.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a function behind API Gateway answers, free of any FDK type: the HTTP status, the response headers the
 * client sees, and the body. A function's FDK adapter writes it onto the gateway context
 * ({@link FnHttpGateway#write}); its handler builds it and is tested without the FDK.
 */
public record GatewayAnswer(int status, Map<String, String> headers, byte[] body) {

    public GatewayAnswer {
        headers = Map.copyOf(headers);
    }

    /** A JSON body ({@code value} serialised by {@link Json}) with {@code Content-Type: application/json}. */
    public static GatewayAnswer json(int status, Object value) {
        return new GatewayAnswer(status, Map.of("Content-Type", "application/json"), Json.toBytes(value));
    }

    /** This answer with one more response header (or another value for one it has). */
    public GatewayAnswer withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new GatewayAnswer(status, h, body);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
